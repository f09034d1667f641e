"""Read and validate content/diagnostic/<lang>/ without touching the database.

Layout::

    content/diagnostic/fr/framework.yaml          competences, profile questions, paper form
    content/diagnostic/fr/items/<competence>.yaml one file of items per competence
    content/diagnostic/fr/images/*.svg            screens for "where would you tap?" items

Every error names the file and the field; nothing stops at the first one.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tremplin.catalog.content_files import ContentError, content_path, parse_yaml, svg_problem, validation_errors

from .schema import COMPETENCES, Framework, Item, ItemFile

CHOICE_KINDS = ("single", "tap")


@dataclass
class LoadedItem:
    data: Item
    competence: str
    position: int
    version: str
    image_svg: str = ""


@dataclass
class Bank:
    root: Path
    framework: Framework | None = None
    items: list[LoadedItem] = field(default_factory=list)
    images: dict[str, str] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    @property
    def version(self) -> str:
        digest = hashlib.sha256(self.framework.model_dump_json().encode() if self.framework else b"")
        for item in self.items:
            digest.update(item.version.encode())
        return digest.hexdigest()[:12]


def item_version(item: Item, image_svg: str) -> str:
    digest = hashlib.sha256(json.dumps(item.model_dump(), sort_keys=True, ensure_ascii=False).encode())
    digest.update(image_svg.encode())
    return digest.hexdigest()[:12]


def read_bank(root: Path) -> Bank:
    root = Path(root)
    bank = Bank(root)
    errors = bank.errors
    if not root.is_dir():
        errors.append(ContentError(str(root), "", "dossier du positionnement introuvable"))
        return bank
    fw_path = root / "framework.yaml"
    raw = parse_yaml(fw_path, errors) if fw_path.is_file() else None
    if not fw_path.is_file():
        errors.append(ContentError(content_path(fw_path), "", "framework.yaml manquant"))
    elif raw is not None:
        try:
            bank.framework = Framework.model_validate(raw)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, content_path(fw_path)))
    seen: dict[str, str] = {}
    for competence in COMPETENCES:
        path = root / "items" / f"{competence}.yaml"
        rel = content_path(path)
        if not path.is_file():
            errors.append(ContentError(rel, "", "fichier de questions manquant"))
            continue
        raw = parse_yaml(path, errors)
        if raw is None:
            continue
        try:
            file = ItemFile.model_validate(raw)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, rel))
            continue
        if file.competence != competence:
            errors.append(ContentError(rel, "competence", f"« {file.competence} » : le fichier doit s'appeler "
                                                          f"{file.competence}.yaml"))
            continue
        for i, item in enumerate(file.items):
            if item.slug in seen:
                errors.append(ContentError(rel, f"items.{i}.slug", f"« {item.slug} » déjà utilisé dans {seen[item.slug]}"))
                continue
            seen[item.slug] = rel
            svg = ""
            if item.image:
                image = root / "images" / item.image
                if not image.is_file():
                    errors.append(ContentError(rel, f"items.{i}.image", f"image introuvable : images/{item.image}"))
                    continue
                data = image.read_bytes()
                problem = svg_problem(data)
                if problem:
                    errors.append(ContentError(content_path(image), "", problem))
                    continue
                svg = data.decode("utf-8")
                bank.images[item.image] = svg
            bank.items.append(LoadedItem(item, competence, i, item_version(item, svg), svg))
    if bank.framework is not None:
        by_slug = {it.data.slug: it for it in bank.items}
        for i, slug in enumerate(bank.framework.paper_form):
            if slug not in by_slug:
                errors.append(ContentError(content_path(fw_path), f"paper_form.{i}", f"question inconnue : {slug}"))
            elif by_slug[slug].data.kind not in CHOICE_KINDS:
                errors.append(ContentError(content_path(fw_path), f"paper_form.{i}",
                                           "sur papier, seules les questions single et tap sont possibles"))
    return bank


def main(argv: list[str]) -> int:  # pragma: no cover - author tool
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[2] / "content" / "diagnostic" / "fr"
    bank = read_bank(root)
    for error in bank.errors:
        print(error)
    print(f"{len(bank.items)} questions, {len(bank.errors)} erreur(s).")
    return 1 if bank.errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv))
