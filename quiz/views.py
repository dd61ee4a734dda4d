import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from . import certainty as cbm
from . import selectors, services
from .drawing import CannotDraw
from .exceptions import FINISHED, AlreadyAnswered, AttemptNotOpen
from .forms import CertaintyForm, answer_form
from .models import Attempt, Quiz

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
    if is_ratelimited(request, group="quiz:start", key="ip", rate=settings.QUIZ_START_RATE, increment=True):
        message = (
            "You have started a lot of attempts in a short time. Please wait a while before starting another; "
            "an attempt you already started can still be finished from the quiz page."
        )
        response = render(request, "429.html", {"title": "Too many new attempts", "message": message}, status=429)
        response["Retry-After"] = "3600"
        return response
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
        "form": form,
        "certainty_form": certainty_form,
        "errors": form.error_messages() + (certainty_form.error_messages() if certainty_form else []),
        "modified": attempt.quiz.updated_at,
    }
    return render(request, "quiz/question.html", context, status=status)


def feedback_context(attempt, number, question, choices, answer, models):
    chosen = {choice.pk for choice in answer.chosen.all()}
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


@require_safe
def results(request, public_id):
    attempt = get_object_or_404(Attempt.objects.select_related("quiz"), public_id=public_id)
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
        "reread": selectors.sections_to_reread(rows),
        "is_owner": attempt.is_owned_by(owner_token(request)),
        "share_url": request.build_absolute_uri(),
        "page_title": f"Results: {attempt.marks} of {attempt.total} — {attempt.quiz.title}",
        "page_description": f"A finished attempt at the quiz “{attempt.quiz.title}”: "
        f"{attempt.marks} of {attempt.total} marks ({attempt.percentage}%).",
        "modified": attempt.quiz.updated_at,
    }
    return render(request, "quiz/results.html", context)
