"""Start-up check: the checker's learned model ships with the package and must be readable.

Without it (or with a damaged file, or a model of other categories) every save of a post would
fail; `manage check`, `migrate`, the server and the worker refuse to start instead, naming the file."""

from __future__ import annotations

from typing import Any

from django.core import checks

from koshiki.checks import learned


@checks.register()
def learned_model_readable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        learned.load_post_model(learned.DEFAULT_MODEL_PATH)
    except learned.ModelFileError as exc:
        return [
            checks.Error(
                f"The checker's learned model cannot be read: {exc}",
                hint="Reinstall koshiki, or rebuild the model with `make train`.",
                id="koshiki.E001",
            )
        ]
    return []
