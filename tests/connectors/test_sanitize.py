"""Platform error text is cleaned before it is stored, logged or shown."""

from __future__ import annotations

from koshiki.connectors import TransientPlatformError
from koshiki.connectors.sanitize import REDACTED, clean_error, scrub

APP_PASSWORD = "abcd-efgh-ijkl-mnop"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOnh5eiJ9.c2lnbmF0dXJlLXZhbHVl"


def test_the_known_secret_is_removed_in_any_case() -> None:
    text = "login failed for koho.test with MySecretPass99 (echo: mysecretpass99)"
    assert (
        clean_error(text, secrets=["MySecretPass99"])
        == f"login failed for koho.test with {REDACTED} (echo: {REDACTED})"
    )


def test_authorization_headers_and_bearer_tokens_are_removed() -> None:
    cleaned = clean_error(f"upstream said: Authorization: Bearer {JWT}\nother line; auth=Basic dXNlcjpwYXNz")
    assert JWT not in cleaned and "dXNlcjpwYXNz" not in cleaned and "Authorization: " + REDACTED in cleaned


def test_jwts_app_passwords_and_secret_pairs_are_removed() -> None:
    text = f'token {JWT} and {APP_PASSWORD}; {{"password": "hunter2x", "accessJwt":"zzz"}} api_key=K123 ok'
    cleaned = clean_error(text)
    for secret in (JWT, APP_PASSWORD, "hunter2x", "zzz", "K123"):
        assert secret not in cleaned
    assert cleaned.endswith("ok")


def test_url_userinfo_is_removed() -> None:
    cleaned = clean_error("GET https://user:pa55@pds.example.jp/xrpc failed")
    assert cleaned == f"GET https://{REDACTED}@pds.example.jp/xrpc failed"


def test_control_characters_are_removed_and_length_limited() -> None:
    cleaned = clean_error("line1\r\nFAKE LOG ENTRY\x1b[31m red\u202e\x00" + "x" * 1000, limit=120)
    assert "\n" not in cleaned and "\x1b" not in cleaned and "\u202e" not in cleaned and "\x00" not in cleaned
    assert len(cleaned) == 120 and cleaned.endswith("…")


def test_long_opaque_tokens_are_removed_but_ordinary_text_kept() -> None:
    token = "sk_live_" + "a1B2c3D4e5" * 5
    cleaned = clean_error(f"publish failed: HTTP 500 InternalServerError: key {token} 本文が長すぎます")
    assert token not in cleaned and "本文が長すぎます" in cleaned and "HTTP 500" in cleaned


def test_scrub_keeps_the_exception_class_and_retry_hint() -> None:
    error = scrub(TransientPlatformError(f"rate limited for {APP_PASSWORD}", retry_after=7.0), [APP_PASSWORD])
    assert isinstance(error, TransientPlatformError) and error.retry_after == 7.0
    assert APP_PASSWORD not in str(error)


def test_platform_error_names_stay_readable() -> None:
    text = "publish failed: HTTP 400 ExpiredToken: Token has expired"
    assert clean_error(text) == text
