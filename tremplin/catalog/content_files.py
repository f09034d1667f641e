"""Read and validate the curriculum tree without touching the database.

Layout::

    content/fr/<track-slug>/track.yaml
    content/fr/<track-slug>/<module-slug>/module.yaml
    content/fr/<track-slug>/<module-slug>/*.svg

``read_curriculum`` returns every error it finds (file, field, message) rather
than stopping at the first, so an author fixes a whole batch at once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from tremplin.lib.yaml_files import yaml_load

from .schema import ExplanationStep, ModuleFile, TrackFile


@dataclass(frozen=True)
class ContentError:
    path: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} [{self.field or '-'}] {self.message}"


@dataclass
class LoadedModule:
    data: ModuleFile
    track_slug: str
    position: int
    directory: Path
    content_version: str


@dataclass
class LoadedTrack:
    data: TrackFile
    directory: Path
    modules: list[LoadedModule] = field(default_factory=list)


@dataclass
class Curriculum:
    root: Path
    tracks: list[LoadedTrack]
    errors: list[ContentError]

    @property
    def modules(self) -> list[LoadedModule]:
        return [m for t in self.tracks for m in t.modules]

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for module in self.modules:
            digest.update(module.content_version.encode())
        for track in self.tracks:
            digest.update(track.data.model_dump_json().encode())
        return digest.hexdigest()[:12]


def content_path(path: Path, base: Path | None = None) -> str:
    """How errors name a file: relative to ``base`` when given (the linter reopens it from there),
    else from its ``content`` (or ``tests``) folder on; a file elsewhere keeps its full path."""
    if base is not None:
        try:
            return str(Path(path).relative_to(base))
        except ValueError:
            pass
    parts = Path(path).parts
    for anchor in ("content", "tests"):
        if anchor in parts:
            return str(Path(*parts[parts.index(anchor):]))
    return str(path)


def parse_yaml(path: Path, errors: list[ContentError], data: bytes | None = None, *,
               rel: str | None = None) -> dict | None:
    """A YAML mapping from ``path`` (or from ``data`` already read), or None with the error appended."""
    rel = rel or content_path(path)
    try:
        raw = yaml_load((path.read_bytes() if data is None else data).decode("utf-8"))
    except UnicodeDecodeError:
        errors.append(ContentError(rel, "", "le fichier n'est pas en UTF-8"))
        return None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        errors.append(ContentError(rel, "", f"YAML invalide : {getattr(exc, 'problem', exc)}",
                                   line + 1 if line is not None else None))
        return None
    if not isinstance(raw, dict):
        errors.append(ContentError(rel, "", "le fichier doit contenir un objet YAML (clé: valeur)"))
        return None
    return raw


def validation_errors(exc: ValidationError, rel: str) -> list[ContentError]:
    """pydantic's errors as ours: the field path (``steps.2.image``) and a French message."""
    return [ContentError(rel, ".".join(str(p) for p in err["loc"]), err["msg"].removeprefix("Value error, "))
            for err in exc.errors()]


def _rel(path: Path, root: Path) -> str:
    return content_path(path, root.parent.parent)


def read_module(path: Path, root: Path, errors: list[ContentError]) -> ModuleFile | None:
    raw = parse_yaml(path, errors, rel=_rel(path, root))
    if raw is None:
        return None
    try:
        module = ModuleFile.model_validate(raw)
    except ValidationError as exc:
        errors.extend(validation_errors(exc, _rel(path, root)))
        return None
    rel = _rel(path, root)
    if module.slug != path.parent.name:
        errors.append(ContentError(rel, "slug", f"le slug « {module.slug} » doit être le nom du dossier « {path.parent.name} »"))
    images: list[tuple[str, str]] = []
    for i, step in enumerate(module.steps):
        if isinstance(step, ExplanationStep) and step.image:
            images.append((f"steps.{i}.image", step.image))
    for i, question in enumerate(module.quiz):
        for j, choice in enumerate(question.choices):
            if choice.image:
                images.append((f"quiz.{i}.choices.{j}.image", choice.image))
    for loc, name in images:
        image = path.parent / name
        if not image.is_file():
            errors.append(ContentError(rel, loc, f"image introuvable : {name}"))
            continue
        problem = svg_problem(image.read_bytes())
        if problem:
            errors.append(ContentError(_rel(image, root), "", problem))
    return module


_SVG_FORBIDDEN = re.compile(rb"<script|<foreignObject|\son[a-z]+\s*=|(?:href|src)\s*=\s*[\"'](?!#)|@import|url\((?!#)",
                            re.IGNORECASE)
MAX_SVG_BYTES = 12_000


def svg_problem(data: bytes) -> str | None:
    """Illustrations are served to learners on small data plans: small, self-contained, no script."""
    if len(data) > MAX_SVG_BYTES:
        return f"image trop lourde ({len(data)} octets, maximum {MAX_SVG_BYTES})"
    if b"<svg" not in data[:500]:
        return "ce fichier n'est pas une image SVG"
    if _SVG_FORBIDDEN.search(data):
        return "image SVG refusée : pas de script, de gestionnaire d'événement ni de ressource externe"
    return None


# Bump when the way files become database rows changes (e.g. Markdown rendering), so that
# every module is reloaded once even though its files did not change.
LOADER_VERSION = b"2"


def _module_version(directory: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION)
    for file in sorted(directory.iterdir()):
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


# Checks added by apps above the catalog (e.g. simulators: a module's `simulators` must exist).
# Each is called as check(root, tracks) and returns a list of ContentError.
EXTRA_CHECKS: list = []


def read_curriculum(root: Path) -> Curriculum:
    root = Path(root)
    errors: list[ContentError] = []
    tracks: list[LoadedTrack] = []
    if not root.is_dir():
        return Curriculum(root, [], [ContentError(str(root), "", "dossier de contenu introuvable")])
    seen_modules: dict[str, str] = {}
    seen_tracks: dict[str, str] = {}
    for track_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        track_file = track_dir / "track.yaml"
        if not track_file.is_file():
            errors.append(ContentError(_rel(track_dir, root), "", "track.yaml manquant"))
            continue
        raw = parse_yaml(track_file, errors, rel=_rel(track_file, root))
        if raw is None:
            continue
        try:
            track = TrackFile.model_validate(raw)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, _rel(track_file, root)))
            continue
        rel = _rel(track_file, root)
        if track.slug != track_dir.name:
            errors.append(ContentError(rel, "slug", f"le slug « {track.slug} » doit être le nom du dossier « {track_dir.name} »"))
        if track.slug in seen_tracks:
            errors.append(ContentError(rel, "slug", f"slug de parcours déjà utilisé dans {seen_tracks[track.slug]}"))
        seen_tracks[track.slug] = rel
        loaded = LoadedTrack(track, track_dir)
        listed = set(track.modules)
        for sub in sorted(p for p in track_dir.iterdir() if p.is_dir()):
            if sub.name not in listed:
                errors.append(ContentError(rel, "modules", f"le dossier « {sub.name} » n'est pas listé dans modules"))
        for position, slug in enumerate(track.modules):
            module_file = track_dir / slug / "module.yaml"
            if not module_file.is_file():
                errors.append(ContentError(rel, f"modules.{position}", f"module introuvable : {slug}/module.yaml"))
                continue
            module = read_module(module_file, root, errors)
            if module is None:
                continue
            if module.slug in seen_modules:
                errors.append(ContentError(_rel(module_file, root), "slug",
                                           f"slug de module déjà utilisé dans {seen_modules[module.slug]}"))
                continue
            seen_modules[module.slug] = _rel(module_file, root)
            loaded.modules.append(LoadedModule(module, track.slug, position, module_file.parent,
                                               _module_version(module_file.parent)))
        tracks.append(loaded)
    tracks.sort(key=lambda t: (t.data.order, t.data.slug))
    for check in EXTRA_CHECKS:
        errors.extend(check(root, tracks))
    return Curriculum(root, tracks, errors)
