"""The content linter: ``python -m tremplin.catalog.lint [content/fr]``.

It checks what a machine can check of CONTENT.md on every module, on top of the schema:
every part is there, quiz answers are consistent, the plain-language rules (sentence length,
jargon, abbreviations), text alternatives and references. Each violation names the file, the
line and the rule, so an author can fix a whole batch at once. Pure Python: no Django, no DB.

Rule settings live next to the content, reviewed like it: ``content/lint/jargon.yaml``,
``content/lint/abbreviations.yaml``, ``content/lint/operators.yaml``. Some rules hold across modules,
simulators and the diagnostic bank (``lint_corpus``): ``content/lint/facts.yaml`` (known-wrong facts,
joke answers), ``content/lint/characters.yaml`` (one name per character) and the site addresses
(every address a learner reads is a real operator's, another known site, or a listed fake example).
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import yaml

from tremplin.lib.yaml_files import SAFE_LOADER as _LOADER
from tremplin.lib.yaml_files import yaml_load

from .content_files import ContentError, LoadedModule, read_curriculum
from .schema import ExplanationStep, ModuleFile, RecapStep

MAX_AVERAGE_WORDS = 15
MAX_SENTENCE_WORDS = 25
STEPS_MIN, STEPS_MAX = 5, 12
QUIZ_MIN, QUIZ_MAX = 4, 8
PROCEDURE_TRACKS = {"demarches-en-ligne"}
MIN_ALT_WORDS = 4
DEFAULT_RULES = Path(__file__).resolve().parents[2] / "content" / "lint"


@dataclass(frozen=True)
class Violation:
    path: str
    line: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} [{self.rule}] {self.message}"


@dataclass
class JargonWord:
    id: str
    kind: str  # "replace" | "explain"
    regex: re.Pattern
    replacement: str
    # strict: the word itself must be followed by its explanation (« L'état civil, c'est… »,
    # « affilié (inscrit…) », « Affilié veut dire : … »), not just sit near a colon.
    strict: bool = False


@dataclass
class Rules:
    jargon: list[JargonWord]
    allowed_abbreviations: set[str]
    operator_domains: list[str]

    @classmethod
    def load(cls, directory: Path) -> Rules:
        jargon_raw = _yaml(directory / "jargon.yaml") or []
        jargon = [JargonWord(j["id"], j["kind"], re.compile(rf"(?<![\w-])(?:{j['pattern']})(?![\w-])", re.I),
                             j["replacement"], bool(j.get("strict"))) for j in jargon_raw]
        abbreviations = set((_yaml(directory / "abbreviations.yaml") or {}).get("allowed", []))
        operators = list((_yaml(directory / "operators.yaml") or {}).get("domains", []))
        return cls(jargon, abbreviations, operators)


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    modules: int = 0
    per_track: dict[str, int] = field(default_factory=dict)
    sentences: int = 0
    words: int = 0
    longest: int = 0
    averages: dict[str, float] = field(default_factory=dict)

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    def figures(self) -> str:
        tracks = ", ".join(f"{k}: {v}" for k, v in self.per_track.items())
        worst = max(self.averages.values(), default=0.0)
        return (f"{self.modules} modules ({tracks}); {self.sentences} phrases, "
                f"{self.average:.1f} mots par phrase en moyenne (module le plus haut : {worst:.1f}), "
                f"phrase la plus longue : {self.longest} mots; {len(self.violations)} violation(s)")


def _yaml(path: Path):
    if not path.is_file():
        return None
    return yaml_load(path.read_text(encoding="utf-8"))


# --- Where things are in the YAML file --------------------------------------------------------

class LineMap:
    """Maps a field path (``steps.3.body``) to the lines of its YAML node, to name the exact line."""

    def __init__(self, path: Path):
        self.lines = path.read_text(encoding="utf-8").splitlines()
        self.spans: dict[str, tuple[int, int]] = {}
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._walk(root, "")

    def _walk(self, node, prefix: str) -> None:
        self.spans[prefix] = (node.start_mark.line, node.end_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                loc = f"{prefix}.{key.value}" if prefix else str(key.value)
                self.spans[loc + "#key"] = (key.start_mark.line, key.start_mark.line)
                self._walk(value, loc)
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                self._walk(value, f"{prefix}.{i}" if prefix else str(i))

    def line_of(self, loc: str, needle: str | None = None) -> int | None:
        """1-based line of ``needle`` inside the node at ``loc``, else the node's first line."""
        parts = loc.split(".")
        while parts and ".".join(parts) not in self.spans:
            parts.pop()
        if not parts:
            return 1 if self.lines else None
        key = ".".join(parts)
        start, end = self.spans[key]
        if needle:
            wanted = _normalise(needle)
            for n in range(start, min(end + 1, len(self.lines))):
                if wanted in _normalise(self.lines[n]):
                    return n + 1
        first = self.spans.get(key + "#key", (start, start))[0]
        return first + 1


def _normalise(text: str) -> str:
    text = re.sub(r"[*_`]", "", text).replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


# --- Text analysis ----------------------------------------------------------------------------

_WORD = re.compile(r"[\w@][\w@'’.\-/]*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\s])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ABBREVIATION = re.compile(r"(?<![\w-])([A-ZÀ-Ý][A-ZÀ-Ý0-9]*[A-ZÀ-Ý][A-ZÀ-Ý0-9]*)(?![\w-])")
_EXPLAINED_AFTER = re.compile(r"^\s*(?:\(|:|,?\s*c['’]est|,?\s*veut dire|,?\s*signifie|,?\s*qui sert)", re.I)


def markdown_to_plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`>#]", "", text)


def sentences_of(text: str, *, markdown: bool) -> list[str]:
    """Paragraphs and list items, then split after . ! ? …; a title without full stop is one sentence."""
    if markdown:
        text = markdown_to_plain(text)
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(" ".join(current))
            current = []
        elif _LIST_ITEM.match(line):
            if current:
                blocks.append(" ".join(current))
            current = [_LIST_ITEM.sub("", line)]
        else:
            current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    out = []
    for block in blocks:
        out.extend(s.strip() for s in _SENTENCE_END.split(block) if _words(s))
    return out


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass
class Text:
    """One learner-facing text of a module, in reading order."""

    loc: str
    text: str
    markdown: bool = False
    # Titles are labels: the text right below them (summary, step body) gives the explanation.
    exempt_first_use: bool = False


def learner_texts(module: ModuleFile) -> Iterator[Text]:
    yield Text("title", module.title, exempt_first_use=True)
    yield Text("summary", module.summary)
    for i, objective in enumerate(module.objectives):
        yield Text(f"objectives.{i}", objective)
    for i, step in enumerate(module.steps):
        yield Text(f"steps.{i}.title", step.title, exempt_first_use=True)
        yield Text(f"steps.{i}.body", step.body, markdown=True)
        if isinstance(step, ExplanationStep) and step.image_alt:
            yield Text(f"steps.{i}.image_alt", step.image_alt)
    for i, question in enumerate(module.quiz):
        yield Text(f"quiz.{i}.prompt", question.prompt)
        for j, choice in enumerate(question.choices):
            yield Text(f"quiz.{i}.choices.{j}.text", choice.text)
            if choice.image_alt:
                yield Text(f"quiz.{i}.choices.{j}.image_alt", choice.image_alt)
        yield Text(f"quiz.{i}.explanation", question.explanation)


# --- The rules --------------------------------------------------------------------------------

class ModuleLinter:
    def __init__(self, loaded: LoadedModule, rel: str, rules: Rules, simulators: set[str] | None, report: Report):
        self.module = loaded.data
        self.loaded = loaded
        self.rel = rel
        self.rules = rules
        self.simulators = simulators
        self.report = report
        self.lines = LineMap(loaded.directory / "module.yaml")
        self.allow = set(getattr(self.module, "lint_allow", None) or [])

    def flag(self, loc: str, rule: str, message: str, needle: str | None = None) -> None:
        self.report.violations.append(Violation(self.rel, self.lines.line_of(loc, needle), rule, message))

    def run(self) -> None:
        self.parts()
        self.quiz()
        self.images()
        self.references()
        self.plain_language()

    # every module has all its parts
    def parts(self) -> None:
        m = self.module
        if not 2 <= len(m.objectives) <= 4:
            self.flag("objectives", "objectifs", f"2 à 4 objectifs attendus (ici {len(m.objectives)})")
        if not STEPS_MIN <= len(m.steps) <= STEPS_MAX:
            self.flag("steps", "etapes", f"{STEPS_MIN} à {STEPS_MAX} étapes attendues (ici {len(m.steps)})")
        recaps = [i for i, s in enumerate(m.steps) if isinstance(s, RecapStep)]
        if not m.steps or not isinstance(m.steps[-1], RecapStep):
            self.flag("steps", "recap", "la dernière étape doit être le récapitulatif « À retenir » (kind: recap)")
        for i in recaps[:-1] if recaps and recaps[-1] == len(m.steps) - 1 else recaps:
            self.flag(f"steps.{i}", "recap", "un seul récapitulatif, en dernière étape")
        if not QUIZ_MIN <= len(m.quiz) <= QUIZ_MAX:
            self.flag("quiz" if m.quiz else "steps", "quiz", f"{QUIZ_MIN} à {QUIZ_MAX} questions attendues (ici {len(m.quiz)})")
        has_image = any(isinstance(s, ExplanationStep) and s.image for s in m.steps) or any(
            c.image for q in m.quiz for c in q.choices)
        if not has_image:
            self.flag("steps", "illustration", "au moins une illustration (image: dans une étape)")
        guide = m.trainer_guide
        if guide is None:
            self.flag("slug", "guide-formateur", "trainer_guide manquant (plan d'atelier de 45 à 90 minutes)")
        else:
            total = sum(p.minutes for p in guide.plan)
            if total != guide.duration_minutes:
                self.flag("trainer_guide.plan", "guide-formateur",
                          f"les minutes du plan font {total} mais duration_minutes vaut {guide.duration_minutes}")
        if not m.sources:
            self.flag("sources", "sources", "au moins une source officielle")
        if self.loaded.track_slug in PROCEDURE_TRACKS:
            if not any(s.service_public_id or self._is_operator(s.url) for s in m.sources):
                self.flag("sources", "source-officielle",
                          "une démarche doit citer une fiche Service-Public (service_public_id) "
                          "ou le site de l'organisme (voir content/lint/operators.yaml)")

    def _is_operator(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.rules.operator_domains)

    # quiz answers are consistent (the schema checks the counts of correct answers)
    def quiz(self) -> None:
        for i, q in enumerate(self.module.quiz):
            if q.kind == "multiple" and all(c.correct for c in q.choices):
                self.flag(f"quiz.{i}.choices", "quiz-reponses", "toutes les réponses sont bonnes : ajoutez un choix faux")
            if q.kind == "order" and len(q.choices) < 3:
                self.flag(f"quiz.{i}.choices", "quiz-reponses", "une question d'ordre a au moins 3 choix")
            if len(sentences_of(q.explanation, markdown=False)) > 2:
                self.flag(f"quiz.{i}.explanation", "quiz-explication", "l'explication tient en 1 ou 2 phrases")

    # every image has a text alternative that says something
    def images(self) -> None:
        items = [(f"steps.{i}", s.image, s.image_alt) for i, s in enumerate(self.module.steps)
                 if isinstance(s, ExplanationStep) and s.image]
        items += [(f"quiz.{i}.choices.{j}", c.image, c.image_alt) for i, q in enumerate(self.module.quiz)
                  for j, c in enumerate(q.choices) if c.image]
        for loc, image, alt in items:
            words = _words(alt or "")
            if len(words) < MIN_ALT_WORDS or _normalise(alt or "") in {"image", "illustration", "photo", "dessin"}:
                self.flag(f"{loc}.image_alt" if alt else f"{loc}.image", "texte-alternatif",
                          f"l'image {image} a besoin d'un texte alternatif qui dit ce qui compte (au moins "
                          f"{MIN_ALT_WORDS} mots)")

    # no broken reference
    def references(self) -> None:
        if self.simulators is None:
            return
        for i, slug in enumerate(self.module.simulators):
            if slug not in self.simulators:
                self.flag(f"simulators.{i}", "reference", f"simulateur introuvable dans content/simulators : {slug}")

    # plain language
    def plain_language(self) -> None:
        lengths: list[int] = []
        explained: set[str] = set()
        flagged_jargon: set[str] = set()
        seen_abbrev: set[str] = set()
        for t in learner_texts(self.module):
            sentences = sentences_of(t.text, markdown=t.markdown)
            for sentence in sentences:
                n = len(_words(sentence))
                lengths.append(n)
                if n > MAX_SENTENCE_WORDS:
                    self.flag(t.loc, "phrase-longue",
                              f"phrase de {n} mots (maximum {MAX_SENTENCE_WORDS}) : « {_clip(sentence)} »",
                              needle=" ".join(_words(sentence)[:4]))
            plain = " ".join(sentences)
            for word in self.rules.jargon:
                if word.id in self.allow:
                    continue
                for match in word.regex.finditer(plain):
                    if _inside_quotes(plain, match.start()):
                        continue  # « Téléchargements » is the name shown on screen: the learner must find it
                    if word.kind == "replace":
                        self.flag(t.loc, f"jargon:{word.id}",
                                  f"« {match.group(0)} » : écrivez plutôt {word.replacement}", needle=match.group(0))
                    elif word.id not in explained and word.id not in flagged_jargon:
                        if (_explained_strictly(word.regex, plain, match.start(), sentences) if word.strict
                                else _explained_near(plain, match.start(), match.end(), sentences)):
                            explained.add(word.id)
                        elif not t.exempt_first_use:
                            flagged_jargon.add(word.id)
                            self.flag(t.loc, f"jargon:{word.id}",
                                      f"« {match.group(0)} » doit être expliqué la 1re fois : {word.replacement}",
                                      needle=match.group(0))
            for match in _ABBREVIATION.finditer(plain):
                abbr = match.group(1)
                if abbr in seen_abbrev or abbr in self.rules.allowed_abbreviations or abbr.casefold() in self.allow:
                    continue
                is_explained = _abbreviation_explained(plain, match.start(1), match.end(1))
                if t.exempt_first_use and not is_explained:
                    continue
                seen_abbrev.add(abbr)
                if not is_explained:
                    self.flag(t.loc, "sigle", f"« {abbr} » doit être expliqué la 1re fois : écrivez le nom en entier "
                              f"puis le sigle entre parenthèses, comme « la Caisse d'allocations familiales (CAF) », "
                              f"ou « {abbr} (…) »", needle=abbr)
        if lengths:
            average = sum(lengths) / len(lengths)
            self.report.sentences += len(lengths)
            self.report.words += sum(lengths)
            self.report.longest = max(self.report.longest, max(lengths))
            self.report.averages[self.module.slug] = average
            if average > MAX_AVERAGE_WORDS:
                self.flag("steps", "phrases-moyenne",
                          f"{average:.1f} mots par phrase en moyenne (maximum {MAX_AVERAGE_WORDS})")


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _explained_near(plain: str, start: int, end: int, sentences: list[str]) -> bool:
    """The word is explained if followed by « : », « ( », « , c'est », « veut dire »… or if the
    sentence that contains it, or the next one, says « c'est » / « veut dire » / « : »."""
    if _EXPLAINED_AFTER.match(plain[end:]):
        return True
    before = plain[:start].rstrip()
    if before.endswith("(") or before.endswith(":"):
        return True
    # the sentence holding the word and the next one
    position = 0
    for i, sentence in enumerate(sentences):
        found = plain.find(sentence, position)
        if found <= start < found + len(sentence) + 1:
            around = " ".join(sentences[i:i + 2])
            return bool(re.search(r"c['’]est |ce sont |veut dire|signifie|s['’]appelle|appel(?:é|ée|és|ées) |\s:\s|\(", around))
        position = max(position, found)
    return False


def _explained_strictly(regex: re.Pattern, plain: str, start: int, sentences: list[str]) -> bool:
    """The word is followed by its explanation, in its sentence or the next one: « le foyer, ce sont… »,
    « avis d'impôt (le papier…) », « Affilié veut dire : … », « L'état civil : votre nom… »."""
    position = 0
    for i, sentence in enumerate(sentences):
        found = plain.find(sentence, position)
        if found <= start < found + len(sentence) + 1:
            around = " ".join(sentences[i:i + 2])
            return any(_EXPLAINED_AFTER.match(around[m.end():]) or re.match(r"^\s*(?:,\s*)?ce sont ", around[m.end():])
                       for m in regex.finditer(around))
        position = max(position, found)
    return False


def _inside_quotes(plain: str, start: int) -> bool:
    before = plain[:start]
    return before.rfind("«") > before.rfind("»")


def _abbreviation_explained(plain: str, start: int, end: int) -> bool:
    before = plain[:start]
    after = plain[end:]
    # « la Caisse d'allocations familiales (CAF) », « … (C2S ou CSS) »: inside parentheses, after its expansion
    opening = before.rfind("(")
    if opening > before.rfind(")") and ")" in after.split("(")[0] and len(_words(before[:opening])) >= 2:
        return True
    # « CAF (Caisse…) », « CAF : … », « CAF, c'est … »
    if re.match(r"^\s*\(\s*\w+", after) or _EXPLAINED_AFTER.match(after):
        return True
    return False


# --- Across modules, simulators and the diagnostic bank ----------------------------------------
#
# What must hold in every learner-facing text, wherever it is: no known-wrong fact (an old name,
# a wrong address), every site address a known one, one name per character, no joke answer.
# Rules: content/lint/facts.yaml, content/lint/characters.yaml, content/lint/operators.yaml.

_TLD = r"(?:fr|com|net|org|info|eu|io|be|exemple)"
_HOST = re.compile(rf"(?<![\w.@/-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{_TLD})(?![\w-])", re.I)
_EMAIL_HOST = re.compile(rf"@((?:[a-z0-9-]+\.)+{_TLD})(?![\w-])", re.I)
# Keys that hold machine values, not text a learner reads.
_SKIP_KEYS = {"url", "service_public_url", "image", "slug", "pattern", "value", "next", "kind", "level", "theme",
              "competence", "competences", "themes", "simulators", "lint_allow", "style", "accept", "same_as"}


@dataclass
class CorpusRules:
    wrong: list[tuple[str, re.Pattern, str, bool]]
    jokes: list[tuple[re.Pattern, str]]
    characters: dict[str, dict]
    operators: list[str]
    known_sites: list[str]
    fake_examples: set[str]
    wrong_addresses: dict[str, str]

    @classmethod
    def load(cls, directory: Path) -> CorpusRules:
        facts = _yaml(directory / "facts.yaml") or {}
        people = _yaml(directory / "characters.yaml") or {}
        operators = _yaml(directory / "operators.yaml") or {}
        return cls(
            wrong=[(w["id"], re.compile(w["pattern"], re.I), w["message"], bool(w.get("allowed_in_wrong_answers")))
                   for w in facts.get("wrong", [])],
            jokes=[(re.compile(j["pattern"], re.I), j.get("why", "")) for j in facts.get("joke_answers", [])],
            characters={c["name"]: c for c in people.get("characters", [])},
            operators=[d.lower() for d in operators.get("domains", [])],
            known_sites=[d.lower() for d in operators.get("known_sites", [])],
            fake_examples={d.lower() for d in operators.get("fake_examples", [])},
            wrong_addresses={k.lower(): v for k, v in (operators.get("wrong_addresses") or {}).items()},
        )

    def address_problem(self, host: str) -> str | None:
        host = host.lower().removeprefix("www.")
        if host in self.wrong_addresses:
            return f"adresse fausse : « {host} » n'existe pas, la bonne adresse est {self.wrong_addresses[host]}"
        if host.endswith(".exemple") or host == "exemple.fr" or host.endswith(".exemple.fr"):
            return None
        if host in self.fake_examples or any(host == d or host.endswith("." + d)
                                             for d in self.operators + self.known_sites):
            return None
        return (f"adresse inconnue : « {host} ». Ajoutez-la à content/lint/operators.yaml : domains (le vrai site "
                f"d'un organisme), known_sites (un autre vrai site) ou fake_examples (une fausse adresse d'exemple)")


@dataclass
class _Scalar:
    key: str
    text: str
    line: int
    in_choice: bool
    correct: bool


def _scalars(node, key: str = "", in_choice: bool = False, correct: bool = False) -> Iterator[_Scalar]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":str") and key not in _SKIP_KEYS:
            yield _Scalar(key, node.value, node.start_mark.line + 1, in_choice, correct)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child, key, in_choice or key == "choices", correct)
    elif isinstance(node, yaml.MappingNode):
        keys = {k.value: v for k, v in node.value}
        if "url" in keys:  # a source or the site a simulator imitates: official titles, checked by a person
            return
        is_correct = isinstance(keys.get("correct"), yaml.ScalarNode) and keys["correct"].value == "true"
        for k, v in node.value:
            yield from _scalars(v, k.value, in_choice, correct or is_correct)


def corpus_files(content_dir: Path, lang: str) -> list[Path]:
    """Modules, simulators and the diagnostic bank of one language, with their pictures' words."""
    folders = [content_dir / lang, content_dir / "simulators" / lang, content_dir / "diagnostic" / lang]
    return [p for folder in folders if folder.is_dir() for pattern in ("*.yaml", "*.svg")
            for p in sorted(folder.rglob(pattern))]


_SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def _svg_scalars(source: str) -> Iterator[_Scalar]:
    """The words drawn in a picture (« Karim Haddad » in a search box) read like a step's text."""
    for m in _SVG_TEXT.finditer(source):
        words = html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))
        yield _Scalar("svg", words, source.count("\n", 0, m.start()) + 1, False, False)


def lint_corpus(files: list[Path], rules: CorpusRules, base: Path) -> list[Violation]:
    out: list[Violation] = []
    for path in files:
        rel = _rel(path, base)
        if path.suffix == ".svg":
            scalars = list(_svg_scalars(path.read_text(encoding="utf-8", errors="replace")))
        else:
            try:
                root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
            except yaml.YAMLError:
                continue  # reported by the schema checks
            scalars = list(_scalars(root)) if root is not None else []
        for scalar in scalars:
            out.extend(Violation(rel, scalar.line, rule, message) for rule, message in _check_text(scalar, rules))
    return out


def _check_text(scalar: _Scalar, rules: CorpusRules) -> Iterator[tuple[str, str]]:
    text = scalar.text
    wrong_answer = scalar.in_choice and not scalar.correct
    for ident, regex, message, allowed_in_wrong_answers in rules.wrong:
        if allowed_in_wrong_answers and wrong_answer:
            continue
        if match := regex.search(text):
            yield f"faux:{ident}", f"« {match.group(0)} » : {message}"
    hosts = {m.group(1) for m in _HOST.finditer(text)} | {m.group(1) for m in _EMAIL_HOST.finditer(text)}
    for host in sorted(hosts):
        if problem := rules.address_problem(host):
            yield "adresse", problem
        elif scalar.correct and host.lower().removeprefix("www.") in rules.fake_examples:
            yield "adresse", f"« {host} » est une fausse adresse d'exemple : elle ne peut pas être la bonne réponse"
    if scalar.in_choice and scalar.key == "text" and not scalar.correct:
        for regex, why in rules.jokes:
            if regex.search(text):
                yield "reponse-blague", (f"« {_clip(text)} » : une réponse pour rire ne mesure rien, nos apprenants "
                                         f"sont des adultes ; écrivez une erreur plausible{f' ({why})' if why else ''}")
    yield from _check_characters(text, rules.characters)


def _check_characters(text: str, characters: dict[str, dict]) -> Iterator[tuple[str, str]]:
    for name, person in characters.items():
        surname, age = person.get("surname"), person.get("age")
        if surname:
            for m in re.finditer(rf"(?<!\w){name}(?: |-|\.(?=\w))([A-ZÀ-Ý][A-Za-zÀ-ÿ]+)\b", text):
                if m.group(1).casefold() != surname.casefold():
                    yield "personnage", (f"« {m.group(0)} » : {name} s'appelle {name} {surname} partout "
                                         f"(content/lint/characters.yaml)")
            for m in re.finditer(rf"(?<![\w-]){name.lower()}[._-]([a-z]+)\d*@", text, re.I):
                if m.group(1).casefold() != surname.casefold():
                    yield "personnage", (f"« {m.group(0)} » : l'adresse de {name} est faite avec {surname.lower()} "
                                         f"(content/lint/characters.yaml)")
        if age:
            for m in re.finditer(rf"(?<![\w-]){name}(?:,| a) (\d{{1,3}}) ans\b", text):
                if int(m.group(1)) != int(age):
                    yield "personnage", f"« {m.group(0)} » : {name} a {age} ans partout (content/lint/characters.yaml)"


# --- Entry points -----------------------------------------------------------------------------

def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def lint(root: Path, *, rules_dir: Path | None = None, simulators_dir: Path | None = None) -> Report:
    root = Path(root)
    base = root.parent.parent
    if rules_dir is None:
        rules_dir = root.parent / "lint" if (root.parent / "lint").is_dir() else DEFAULT_RULES
    rules = Rules.load(rules_dir)
    simulators_dir = simulators_dir or root.parent / "simulators"
    simulators = None
    if simulators_dir.is_dir():
        if (simulators_dir / root.name).is_dir():  # content/simulators/fr/<slug>.yaml, like content/fr
            simulators_dir = simulators_dir / root.name
        simulators = {p.stem if p.is_file() else p.name for p in simulators_dir.iterdir()
                      if not p.name.startswith(".")}
    curriculum = read_curriculum(root)
    report = Report()
    for error in curriculum.errors:
        report.violations.append(_schema_violation(error, base))
    for track in curriculum.tracks:
        report.per_track[track.data.slug] = len(track.modules)
        for loaded in track.modules:
            report.modules += 1
            ModuleLinter(loaded, _rel(loaded.directory / "module.yaml", base), rules, simulators, report).run()
    report.violations.extend(lint_corpus(corpus_files(root.parent, root.name), CorpusRules.load(rules_dir), base))
    return report


def _schema_violation(error: ContentError, base: Path) -> Violation:
    line = error.line
    path = base / error.path
    if line is None and error.field and path.suffix == ".yaml" and path.is_file():
        line = LineMap(path).line_of(error.field)
    rule = "reference" if "introuvable" in error.message else "schema" if error.field else "fichier"
    return Violation(error.path, line, rule, error.message + (
        f" ({error.field})" if error.field else ""))


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "content" / "fr"
    report = lint(root)
    for violation in report.violations:
        print(violation)
    print(report.figures())
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
