"""Hypothesis: any text gives findings whose spans lie inside it, or a clear CheckInputError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koshiki.checks import CheckContext, check

JAPANESE = st.characters(codec="utf-8") | st.sampled_from(
    list("０９０－１２３４ーあいうアイウ漢字〇一二三市町丁目番号さん様@.:/http")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(JAPANESE, max_size=400), platform=st.sampled_from(["x", "bluesky", "instagram", "line"]))
def test_spans_stay_inside_the_text(text: str, platform: str, iwaki_context: CheckContext) -> None:
    for finding in check(text, context=iwaki_context, platform=platform):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.severity in ("block", "warn", "info")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.text(max_size=50), suffix=st.text(max_size=50))
def test_a_phone_number_is_found_wherever_it_stands(
    prefix: str, suffix: str, iwaki_context: CheckContext
) -> None:
    text = f"{prefix}　携帯 090-1234-5678　{suffix}"
    spans = [
        text[f.start : f.end] for f in check(text, context=iwaki_context) if f.category == "personal_info"
    ]
    assert any("090-1234-5678" in span for span in spans)
