"""Reading the clue taxonomy."""

from __future__ import annotations

from cases.models import ClueTaxonomyNode

__all__ = ["taxonomy_nodes_named", "taxonomy_tree"]


def taxonomy_tree() -> list[ClueTaxonomyNode]:
    """Every taxonomy node in tree order (by path: each parent before its children)."""
    return list(ClueTaxonomyNode.objects.select_related("parent").order_by("path"))


# Shorter terms ("a", "de") would name half the tree.
MIN_TERM_LENGTH = 4


def taxonomy_nodes_named(text: str) -> list[ClueTaxonomyNode]:
    """The nodes (and those below them) whose label, in any language, holds ``text``.

    A search for a kind of clue — "socket", "stopcontact", "enchufe" — finds the clues
    filed under it whatever language their own text is written in. Searches using
    operators (``-word``, ``OR``) are about words, not kinds, and name no node.
    """
    term = " ".join(str(text).replace('"', " ").split()).lower()
    if len(term) < MIN_TERM_LENGTH or term.startswith("-") or " -" in term or " or " in term:
        return []
    nodes = list(ClueTaxonomyNode.objects.only("id", "path", "slug", "label", "translations"))
    named = [node for node in nodes if any(term in label.lower() for label in _labels(node))]
    paths = tuple(node.path for node in named)
    return [node for node in nodes if paths and node.path.startswith(paths)]


def _labels(node: ClueTaxonomyNode) -> list[str]:
    translations = node.translations if isinstance(node.translations, dict) else {}
    return [node.label, node.slug.replace("-", " "), *(str(v) for v in translations.values())]
