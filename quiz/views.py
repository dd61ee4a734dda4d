import re
import secrets
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from . import certainty as cbm
from . import reminders, reviews, selectors, services
from .drawing import CannotDraw
from .exceptions import FINISHED, AlreadyAnswered, AttemptNotOpen, NothingToPractise
from .forms import CertaintyForm, answer_form
from .models import Attempt, Quiz, ReviewPlan
from .rendering import answer_fields

OWNER_SESSION_KEY = "quiz_owner"


def owner_token(request):
    return request.session.get(OWNER_SESSION_KEY, "")


def problem(request, status, title, message, attempt=None):
    """A reader-caused error, explained in the site's layout with the right status code."""
    context = {"title": title, "message": message, "attempt": attempt}
    return render(request, "quiz/problem.html", context, status=status)


def allow_methods(*methods):
    """Like Django's require_http_methods, but the 405 explains itself in the site's layout.

    HEAD is allowed wherever GET is, as HTTP expects.
    """
    if "GET" in methods and "HEAD" not in methods:
        methods = (*methods, "HEAD")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = problem(
                    request,
                    405,
                    "That is not how this page works",
                    "This address only accepts the quiz's own buttons. Go back to the quiz and use them.",
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@require_safe
def quiz_index(request):
    quizzes = list(Quiz.objects.visible_to(request.user))
    context = {
        "quizzes": quizzes,
        "page_title": "A quiz on BPO and KPO" if len(quizzes) == 1 else "Quizzes on BPO and KPO",
        "modified": max((quiz.updated_at for quiz in quizzes if quiz.published), default=None),
        "page_description": "Check what you know about BPO and KPO with a short quiz that explains every answer.",
    }
    return render(request, "quiz/index.html", context)


@require_safe
def quiz_detail(request, slug):
    quiz = get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)
    unfinished = Attempt.objects.unfinished_for(quiz, owner_token(request)).first() if owner_token(request) else None
    attempt_length = quiz.attempt_length(quiz.bank().count())
    description = quiz.page_description(attempt_length)
    context = {
        "quiz": quiz,
        "unfinished": unfinished,
        "attempt_length": attempt_length,
        "certainty_rules": cbm.rules(),
        "page_title": quiz.page_title,
        "page_description": description,
        "modified": quiz.updated_at,
    }
    return render(request, "quiz/detail.html", context)


# The hidden field of the site's “Take the quiz” buttons: continue an unfinished attempt rather than start anew.
RESUME_FIELD = "resume"


@csrf_exempt
@allow_methods("POST")
def start(request, slug):
    """Start an attempt, or with ``resume=yes`` continue the reader's unfinished one.

    Exempt from the CSRF token check, because the “Take the quiz” buttons sit on pages cached for every reader,
    which cannot carry a token of their own. A post that a browser sends from another site's page is still
    refused by its Origin header: it would carry no session cookie (SameSite=Lax), so starting an attempt would
    replace the reader's session, signing staff out and cutting a reader off from an unfinished attempt. A post
    without Origin (no browser sends a form so) can only start an attempt of its own, and starts are rate-limited.
    """
    if comes_from_another_site(request):
        return problem(
            request,
            403,
            "This button only works on this site",
            "A page on another site tried to start the quiz for you. Go to the quiz page and start it there.",
        )
    quiz = get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)
    resume = request.POST.get(RESUME_FIELD, "")
    if resume not in ("", "yes"):
        return problem(
            request,
            400,
            "That is not how this button works",
            "The quiz could not tell whether to continue your attempt or start a new one. "
            "Go to the quiz page and press its button there.",
        )
    unfinished = Attempt.objects.unfinished_for(quiz, owner_token(request)).first() if owner_token(request) else None
    if resume and unfinished:
        return redirect(unfinished)
    if refusal := ATTEMPT_STARTS.refusal(request):
        return refusal
    if not quiz.bank().exists():
        return problem(request, 409, "This quiz has no questions yet", "Please come back later.")
    token = request.session.setdefault(OWNER_SESSION_KEY, secrets.token_urlsafe(32))
    try:
        attempt = services.start_attempt(quiz, token, by_staff=request.user.is_staff)
    except CannotDraw:
        return problem(
            request,
            409,
            "This quiz cannot start an attempt right now",
            "Its editors are changing its questions. Please come back later.",
        )
    return redirect(attempt.question_url(1))


@dataclass(frozen=True)
class StartLimit:
    """How many attempts of a kind one client may start in a while, and what it is told past that."""

    group: str
    rate_setting: str
    title: str
    message: str

    def refusal(self, request):
        """The 429 page when this start goes past the limit (it counts), else None."""
        rate = getattr(settings, self.rate_setting)
        if not is_ratelimited(request, group=self.group, key="ip", rate=rate, increment=True):
            return None
        response = render(request, "429.html", {"title": self.title, "message": self.message}, status=429)
        response["Retry-After"] = "3600"
        return response


ATTEMPT_STARTS = StartLimit(
    "quiz:start",
    "QUIZ_START_RATE",
    "Too many new attempts",
    "You have started a lot of attempts in a short time. Please wait a while before starting another; "
    "an attempt you already started can still be finished from the quiz page.",
)
# Practice from the results page and from a review link alike.
PRACTICE_STARTS = StartLimit(
    "quiz:practise",
    "QUIZ_PRACTICE_RATE",
    "Too many practice attempts",
    "You have started a lot of practice attempts in a short time. Please wait a while before starting "
    "another; a practice you already started can still be finished from its address.",
)


def comes_from_another_site(request):
    """Whether a browser sent this post from a page of another origin, as its Origin header says.

    The same comparison as Django's CSRF origin check: this site's scheme and host, or a trusted origin.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    own_origin = f"{request.scheme}://{request.get_host()}"
    return origin != own_origin and origin not in settings.CSRF_TRUSTED_ORIGINS


def owned_attempt(request, public_id):
    """The attempt, or a response refusing it to anyone but the browser that started it."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), public_id=public_id)
    if not attempt.is_owned_by(owner_token(request)):
        return None, problem(
            request,
            403,
            "This attempt belongs to someone else",
            "Only the browser that started an attempt can see its questions and answer them. "
            "You can start your own attempt from the quiz page.",
            attempt,
        )
    return attempt, None


@allow_methods("GET", "HEAD", "POST")
def question(request, public_id, number):
    attempt, refusal = owned_attempt(request, public_id)
    if refusal:
        return refusal
    question_id = attempt.question_id_at(number)
    if question_id is None:
        return problem(
            request, 404, "There is no such question", f"This attempt has {attempt.total} questions.", attempt
        )
    # Questions are answered in order: up to the last one answered the page is feedback, with the learn-more link.
    answered = number <= attempt.answered_count
    question = selectors.question_to_ask(question_id, with_learn_more=answered and request.method != "POST")
    if question is None:
        raise Http404("This question has been deleted.")
    choices = attempt.ordered_choices(question)
    models = selectors.models_to_sort_into() if question.is_sort else []
    if request.method == "POST":
        return answer_question(request, attempt, number, question, answer_form(question, choices, models, request.POST))
    answer = selectors.answer_given(attempt, question) if answered else None
    if answer is not None:
        context = feedback_context(attempt, number, question, choices, answer, models)
        return render(request, "quiz/feedback.html", context)
    if attempt.is_finished or number != attempt.answered_count + 1:
        return redirect(attempt)
    form = answer_form(question, choices, models)
    return render_question(request, attempt, number, question, form, certainty_form_for(attempt))


def certainty_form_for(attempt, data=None):
    """The “How sure are you?” part of the answer form, or None when the attempt does not ask it."""
    return CertaintyForm(data) if attempt.certainty_based_marking else None


def answer_question(request, attempt, number, question, form):
    if attempt.is_finished:
        return problem(request, 409, "That answer was not recorded", FINISHED, attempt)
    certainty_form = certainty_form_for(attempt, request.POST)
    if not all([form.is_valid(), certainty_form is None or certainty_form.is_valid()]):
        return render_question(request, attempt, number, question, form, certainty_form, status=400)
    certainty = certainty_form.cleaned_data["certainty"] if certainty_form else ""
    try:
        services.record_answer(attempt, number, certainty=certainty, question=question, **form.response())
    except AlreadyAnswered:
        messages.info(request, "You had already answered this question. Your first answer is the one that counts.")
    except AttemptNotOpen as refusal:
        return problem(request, 409, "That answer was not recorded", refusal.reason, attempt)
    return redirect(attempt.question_url(number))


def render_question(request, attempt, number, question, form, certainty_form=None, status=200):
    context = {
        "attempt": attempt,
        "number": number,
        "question": question,
        "answer_fields": answer_fields(question, number, form, certainty_form),
        "errors": form.error_messages() + (certainty_form.error_messages() if certainty_form else []),
        "modified": attempt.quiz.updated_at,
    }
    return render(request, "quiz/question.html", context, status=status)


def feedback_context(attempt, number, question, choices, answer, models):
    chosen = set(answer.picked)
    placed = selectors.placed_rows(question, choices, answer, {model.pk: model for model in models})
    if question.is_sort:
        mistakes = [row.choice for row in placed if not row.is_right and row.choice.feedback]
    else:
        mistakes = [choice for choice in choices if choice.pk in chosen and not choice.correct and choice.feedback]
    return {
        "attempt": attempt,
        "number": number,
        "question": question,
        "answer": answer,
        "marked_choices": [(choice, choice.pk in chosen) for choice in choices],
        "placed_rows": placed,
        "mistakes": mistakes,
        **certainty_feedback(answer),
        "next_url": attempt.get_absolute_url(),
        "modified": attempt.quiz.updated_at,
    }


def certainty_feedback(answer):
    """What an answer given with a certainty earned, for the feedback page; nothing for one given without."""
    if not answer.certainty:
        return {}
    return {
        "certainty_mark": cbm.signed(answer.certainty_mark),
        "certainty_advice": cbm.advice(answer.fraction, answer.certainty),
    }


@allow_methods("POST")
def practise(request, public_id):
    """Start a practice attempt of what the reader missed in their finished attempt ``public_id``.

    A CSRF-protected post from the results page, which only its owner sees with this button.
    """
    attempt, refusal = owned_attempt(request, public_id)
    if refusal:
        return refusal
    if not attempt.is_finished:
        return problem(
            request,
            409,
            "This attempt is not finished yet",
            "Practice starts from a finished attempt: answer its last question, then practise what you missed.",
            attempt,
        )
    if refusal := PRACTICE_STARTS.refusal(request):
        return refusal
    try:
        practice = services.practise_missed(attempt, by_staff=request.user.is_staff)
    except NothingToPractise:
        return problem(
            request,
            409,
            "There is nothing to practise",
            "You got every question of this attempt right, none of them with low certainty, or the ones you "
            "missed have since been taken out of the quiz.",
            attempt,
        )
    return redirect(practice.question_url(1))


@require_safe
def results(request, public_id):
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "review_plan"), public_id=public_id)
    if not attempt.is_finished:
        if attempt.is_owned_by(owner_token(request)):
            return redirect(attempt)
        return problem(request, 404, "These results are not ready", "This attempt has not been finished yet.")
    rows = selectors.answers_in_order(attempt)
    context = {
        "attempt": attempt,
        "rows": rows,
        "review": selectors.in_review_order(rows),
        "certainty": selectors.certainty_summary(rows),
        "by_topic": selectors.score_by_topic(rows),
        "to_practise": selectors.to_practise(rows),
        "topic_to_reread": selectors.topic_to_reread(rows, attempt.quiz.pass_mark),
        "reread": selectors.sections_to_reread(rows),
        "is_owner": attempt.is_owned_by(owner_token(request)),
        **review_later_context(request, attempt),
        "share_url": request.build_absolute_uri(),
        "page_title": f"{'Practice results' if attempt.is_practice else 'Results'}: "
        f"{attempt.marks} of {attempt.total} — {attempt.quiz.title}",
        "page_description": f"A finished attempt at the quiz “{attempt.quiz.title}”: "
        f"{attempt.marks} of {attempt.total} marks ({attempt.percentage}%).",
        "modified": attempt.quiz.updated_at,
    }
    return render(request, "quiz/results.html", context)


def review_later_context(request, attempt):
    """The owner's “Review later” box: their review plan for the quiz, or the offer to make one."""
    if attempt.by_staff or not attempt.is_owned_by(owner_token(request)):
        return {}
    plan = attempt.review_plan or ReviewPlan.objects.filter(owner_token=attempt.owner_token, quiz=attempt.quiz).first()
    if plan is None:
        return {"review_later": True}
    return {
        "review_later": True,
        "review_plan": plan,
        "review_url": request.build_absolute_uri(plan.get_absolute_url()),
        "review_upcoming": reviews.upcoming(plan),
        "review_is_mine": plan.is_owned_by(owner_token(request)),
    }


@allow_methods("POST")
def keep_review(request, public_id):
    """Make the owner's review link for the quiz of a finished attempt (or find the one they have)."""
    attempt, refusal = owned_attempt(request, public_id)
    if refusal:
        return refusal
    if not attempt.is_finished or attempt.by_staff:
        return problem(
            request,
            409,
            "There is nothing to review yet",
            "A review link is made from the results of a finished attempt; staff test runs keep none.",
            attempt,
        )
    reviews.keep_review(attempt)
    return redirect(f"{attempt.get_absolute_url()}#review-later-title")


# What secrets.token_urlsafe(32) makes: 43 characters of the URL-safe base64 alphabet.
REVIEW_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def review_plan_or_refusal(request, token):
    """The plan a review link names, or a 404 in the site's layout for an unknown, stopped or malformed one."""
    plan = None
    if REVIEW_TOKEN.fullmatch(token):
        plans = ReviewPlan.objects.select_related("quiz").filter(quiz__in=Quiz.objects.visible_to(request.user))
        plan = plans.filter(token=token).first()
    if plan is None:
        return None, problem(
            request,
            404,
            "This review link does not work",
            "It may have been mistyped, or its owner stopped it, or it went unused for a long time. "
            "A new one comes with the results of your next attempt.",
        )
    return plan, None


def kept_private(response):
    """Never stored by a cache, and the address, whose token is the key to the plan, never sent to another site as
    a referrer. Not “no-referrer”: with it a browser sends the page's forms with “Origin: null”, which the CSRF
    check refuses."""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_safe
def review(request, token):
    plan, refusal = review_plan_or_refusal(request, token)
    if refusal:
        return refusal
    reviews.touch(plan)
    schedule = reviews.schedule_of(plan)
    context = {
        "plan": plan,
        "schedule": schedule,
        "is_plan_owner": plan.is_owned_by(owner_token(request)),
        "days_in_box": reviews.DAYS_IN_BOX,
        "page_title": f"Your review — {plan.quiz.title}",
        "page_description": "What to re-read and practise again today, and what comes back later.",
    }
    return kept_private(render(request, "quiz/review.html", context))


@allow_methods("POST")
def review_practise(request, token):
    """Start a practice attempt of the facts due now; it belongs to this browser and moves the link's plan."""
    plan, refusal = review_plan_or_refusal(request, token)
    if refusal:
        return refusal
    if refusal := PRACTICE_STARTS.refusal(request):
        return refusal
    questions = reviews.questions_for_due(plan, plan.quiz.bank_with_choices())
    if not questions:
        return kept_private(
            problem(
                request,
                409,
                "Nothing is due for review yet",
                "Nothing on this review link is due today. Come back on the date it gives for the next review.",
            )
        )
    owner = request.session.setdefault(OWNER_SESSION_KEY, secrets.token_urlsafe(32))
    attempt = services.start_practice(plan.quiz, owner, questions, by_staff=request.user.is_staff, review_plan=plan)
    reviews.touch(plan)
    return redirect(attempt.question_url(1))


@require_safe
def review_reminder(request, token):
    """An iCalendar file with one all-day event on the date the next fact not yet due falls due."""
    plan, refusal = review_plan_or_refusal(request, token)
    if refusal:
        return refusal
    due = reviews.upcoming(plan).next_due_at
    if due is None:
        return kept_private(
            problem(
                request,
                404,
                "Nothing to remind you of",
                "Nothing on this review link falls due later: what is left is due now. Open the link to practise it.",
            )
        )
    calendar = reminders.review_reminder(plan, request.build_absolute_uri(plan.get_absolute_url()), due)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quiz-review.ics"'
    return kept_private(response)


@allow_methods("POST")
def review_stop(request, token):
    """The owner stops their review link: it and its schedule are gone."""
    plan, refusal = review_plan_or_refusal(request, token)
    if refusal:
        return refusal
    if not plan.is_owned_by(owner_token(request)):
        return problem(
            request,
            403,
            "Only its owner can stop this review link",
            "This review link was made in another browser; only that browser can stop it.",
        )
    reviews.stop_review(plan)
    context = {
        "title": "Your review link is stopped",
        "message": "It no longer works, from any browser, and its schedule is forgotten. "
        "The results of your next attempt offer a new one.",
    }
    return render(request, "quiz/problem.html", context)
