from __future__ import annotations

import pytest

from koshiki.checks import CheckContext
from koshiki.guidelines import get_profile


@pytest.fixture(scope="session")
def iwaki_context() -> CheckContext:
    return CheckContext.from_profile(
        get_profile("iwaki"),
        own_domains=["city.iwaki.lg.jp"],
        public=["いわき市長 内田広之", "いわき市役所 0246-22-1111", "いわき市平字梅本21"],
    )
