"""The admin login locks out after repeated failures; quiz starts are rate-limited; bodies are bounded."""

from axes.models import AccessAttempt

from quiz.models import Attempt
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG


def sign_in(client, password, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": "editor", "password": password}, **extra)


def test_the_admin_login_locks_out_after_five_failures_with_a_clear_message(client, staff_user):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200

    locked = sign_in(client, "wrong")

    assert locked.status_code == 429
    explanation = parse(locked).find("main")
    assert explanation.find("h1").text == "Sign-in paused"
    assert "15 minutes" in explanation.text
    assert locked["Retry-After"] == "900"
    again_with_the_right_password = sign_in(client, "a-long-test-password")
    assert again_with_the_right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_only_affects_the_client_that_failed(client, staff_user):
    for _ in range(5):
        sign_in(client, "wrong", REMOTE_ADDR="198.51.100.7")

    from_elsewhere = sign_in(client, "a-long-test-password", REMOTE_ADDR="198.51.100.8")

    assert from_elsewhere.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_client(client, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        sign_in(client, "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    forged_prefix = sign_in(
        client, "a-long-test-password", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9"
    )
    assert forged_prefix.status_code == 429


def test_starting_too_many_attempts_gets_a_friendly_429_and_creates_nothing(client, shipped_content, settings):
    settings.QUIZ_START_RATE = "3/h"
    for _ in range(3):
        assert client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 302

    refused = client.post(f"/quiz/{QUIZ_SLUG}/start/")

    assert refused.status_code == 429
    assert parse(refused).find("main").find("h1").text == "Too many new attempts"
    assert refused["Retry-After"]
    assert Attempt.objects.count() == 3


def test_the_start_limit_is_per_client(client, shipped_content, settings):
    settings.QUIZ_START_RATE = "1/h"
    assert client.post(f"/quiz/{QUIZ_SLUG}/start/", REMOTE_ADDR="198.51.100.1").status_code == 302
    assert client.post(f"/quiz/{QUIZ_SLUG}/start/", REMOTE_ADDR="198.51.100.1").status_code == 429

    other_client = client.post(f"/quiz/{QUIZ_SLUG}/start/", REMOTE_ADDR="198.51.100.2")

    assert other_client.status_code == 302


def test_an_oversized_request_body_is_refused_with_400_and_changes_nothing(client, shipped_content):
    client.post(f"/quiz/{QUIZ_SLUG}/start/")
    attempt = Attempt.objects.get()

    response = client.post(attempt.question_url(1), {"choice": ["1"], "padding": "x" * (1024 * 1024 + 1)})

    assert response.status_code == 400
    assert "too large" in parse(response).find("main").text
    attempt.refresh_from_db()
    assert attempt.answered_count == 0


def test_too_many_form_fields_are_refused_with_400(client, shipped_content):
    client.post(f"/quiz/{QUIZ_SLUG}/start/")
    attempt = Attempt.objects.get()

    response = client.post(attempt.question_url(1), {f"field{index}": "1" for index in range(2001)})

    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.answered_count == 0
