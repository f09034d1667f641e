"""Read and validate simulator files without touching the database.

Layout::

    content/simulators/fr/<slug>.yaml

Like the curriculum reader, every error is returned (file, field path, message) so an author
fixes a whole batch at once. ``module_simulator_errors`` is the check that a module's
``simulators:`` list names existing simulators; it is plugged into the curriculum reader
(see apps.py) so ``load_content`` rejects an unknown slug too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from tremplin.catalog.content_files import ContentError, content_path, parse_yaml, validation_errors
from tremplin.lib.yaml_files import yaml_load

from .schema import SimulatorFile, graph_errors


@dataclass
class LoadedSimulator:
    data: SimulatorFile
    path: Path
    content_version: str


def simulators_root_for(curriculum_root: Path) -> Path:
    """content/fr → content/simulators/fr (the language folder mirrors the curriculum's)."""
    from django.conf import settings

    configured = getattr(settings, "SIMULATORS_ROOT", None) if settings.configured else None
    if configured:
        return Path(configured)
    curriculum_root = Path(curriculum_root)
    return curriculum_root.parent / "simulators" / curriculum_root.name


def read_simulator(path: Path) -> tuple[LoadedSimulator | None, list[ContentError]]:
    rel = content_path(path)
    data = path.read_bytes()
    errors: list[ContentError] = []
    raw = parse_yaml(path, errors, data)
    if raw is None:
        return None, errors
    try:
        sim = SimulatorFile.model_validate(raw)
    except ValidationError as exc:
        return None, validation_errors(exc, rel)
    graph = [ContentError(rel, loc, message) for loc, message in graph_errors(sim)]
    if graph:
        return None, graph
    if sim.slug != path.stem:
        return None, [ContentError(rel, "slug", f"le slug « {sim.slug} » doit être le nom du fichier « {path.stem} »")]
    return LoadedSimulator(sim, path, hashlib.sha256(data).hexdigest()[:12]), []


def read_simulators(root: Path) -> tuple[list[LoadedSimulator], list[ContentError]]:
    root = Path(root)
    if not root.is_dir():
        return [], [ContentError(str(root), "", "dossier des simulateurs introuvable")]
    loaded, errors = [], []
    for path in sorted(root.glob("*.yaml")):
        sim, errs = read_simulator(path)
        errors.extend(errs)
        if sim:
            loaded.append(sim)
    return loaded, errors


def module_simulator_errors(curriculum_root: Path, known: set[str]) -> list[ContentError]:
    """Every module.yaml whose ``simulators:`` names a simulator that has no file."""
    errors = []
    for module_file in sorted(Path(curriculum_root).glob("*/*/module.yaml")):
        try:
            raw = yaml_load(module_file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError):
            continue  # the curriculum reader reports it
        slugs = raw.get("simulators") if isinstance(raw, dict) else None
        if not isinstance(slugs, list):
            continue
        for i, slug in enumerate(slugs):
            if slug not in known:
                errors.append(ContentError(content_path(module_file), f"simulators.{i}", f"simulateur inconnu : « {slug} »"))
    return errors


def curriculum_check(curriculum_root: Path, _tracks) -> list[ContentError]:
    """Hook for the curriculum reader: the simulators a module names must exist as files."""
    sim_root = simulators_root_for(curriculum_root)
    known = {p.stem for p in sim_root.glob("*.yaml")} if sim_root.is_dir() else set()
    return module_simulator_errors(curriculum_root, known)
