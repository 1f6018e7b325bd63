"""The exemption ids Koshiki gives a meaning to (urgent notice, correction) are the
profile's, with documented defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from koshiki.guidelines import ProfileError, parse_profile
from koshiki.guidelines.posting import after_the_fact, hours_exceptions, self_publish_exemptions

MINIMAL = (Path(__file__).with_name("fixtures") / "minimal.yaml").read_text(encoding="utf-8")


def test_silent_defaults_are_emergency_and_correction() -> None:
    profile = parse_profile(MINIMAL, "ok.yaml")
    assert [e.id for e in after_the_fact(profile)] == ["emergency"]
    assert [e.id for e in hours_exceptions(profile)] == ["correction", "damage", "emergency"]
    assert self_publish_exemptions(profile) == ["emergency"]
    assert (
        profile.posting.after_report.exemption_due_days == 1
        and profile.posting.after_report.standing_due_days == 7
    )


def test_a_profile_names_its_own_urgent_notice_and_correction() -> None:
    text = MINIMAL.replace(
        "content:\n",
        "posting:\n  emergency_exemption: kinkyu\n  operating_hours:\n"
        "    silent: true\n    correction_exception: teisei\n"
        "    exceptions:\n      - {id: teisei, label: 訂正, label_en: Correction, silent: true}\n"
        "      - {id: kinkyu, label: 緊急, label_en: Urgent, silent: true}\ncontent:\n",
        1,
    )
    profile = parse_profile(text, "ok.yaml")
    assert [e.id for e in after_the_fact(profile)] == ["kinkyu"]
    assert self_publish_exemptions(profile) == ["kinkyu"]


def test_a_correction_exception_the_hours_do_not_list_is_refused() -> None:
    text = MINIMAL.replace(
        "content:\n",
        "posting:\n  operating_hours:\n    silent: true\n"
        "    correction_exception: teisei\n"
        "    exceptions:\n      - {id: correction, label: 訂正, label_en: Correction, silent: true}\n"
        "content:\n",
        1,
    )
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "bad.yaml")
    (issue,) = caught.value.issues
    assert "posting.operating_hours.correction_exception" in str(issue) and "teisei" in str(issue)
