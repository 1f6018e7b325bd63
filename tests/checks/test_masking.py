"""checks/masking.py (issue #14 B): personal data replaced by dummies of its kind, other spans moved along."""

from __future__ import annotations

from koshiki.checks import Finding
from koshiki.checks.masking import mask, occurrence


def _pii(start: int, end: int, en: str, detector: str = "pii") -> Finding:
    return Finding("personal_info", "block", start, end, "", en, detector=detector)


def test_spans_before_inside_and_after_a_mask_move_to_the_masked_text() -> None:
    text = "連絡は090-1234-5678まで。佐藤さんへ"
    masked = mask(
        text,
        [
            _pii(3, 16, "This looks like a private phone number."),
            _pii(19, 23, "This looks like a private person's name.", "names"),
        ],
    )
    assert masked.text == "連絡は090-0000-0000まで。〇〇さんへ"
    assert masked.span(0, 2) == (0, 2)  # before
    assert masked.text[slice(*masked.span(3, 16))] == "090-0000-0000"  # the masked span itself
    assert masked.text[slice(*masked.span(5, 8))] == "090-0000-0000"  # inside: the whole mask
    assert masked.text[slice(*masked.span(16, 19))] == "まで。"  # between
    assert masked.text[slice(*masked.span(19, 24))] == "〇〇さんへ"  # across a name and after


def test_a_learned_finding_is_not_masked() -> None:
    text = "生活保護の相談に来た方の話"
    assert mask(text, [_pii(0, len(text), "situation", "learned")]).text == text


def test_occurrence_counts_the_matches_up_to_the_span() -> None:
    assert occurrence("〇〇さんと〇〇さん", "〇〇", 5) == 2
    assert occurrence("〇〇さんと〇〇さん", "〇〇", 0) == 1


def test_a_name_at_the_start_of_an_email_leaves_the_email_its_own_dummy() -> None:
    """Sudachi reads yamada of yamada.taro@… as a surname: the longer span at that start decides the kind."""
    text = "連絡先 yamada.taro@gmail.com"
    masked = mask(
        text,
        [
            _pii(4, len(text), "This looks like a private e-mail address."),
            _pii(4, 10, "A person's name (morphological analysis).", "names"),
        ],
    )
    assert masked.text == "連絡先 user@example.jp"
