"""The clue taxonomy VictimID starts with: what INTERPOL asks member countries to look at.

(slug, English label, what to look at, children). Admins extend the tree in the admin;
labels in other languages go in each node's ``translations``.
"""

from __future__ import annotations

from typing import Any

TaxonomySeed = tuple[str, str, str, list[Any]]

SEED: list[TaxonomySeed] = [
    (
        "products",
        "Products and packaging",
        "Brands, labels, barcodes, packaging shapes.",
        [
            ("food-drink", "Food and drink", "Packaging of food and drink, bottles, cans.", []),
            ("toiletries", "Toiletries and medicine", "Toothpaste, shampoo, medicine boxes.", []),
            ("toys", "Toys and games", "Toys, board games, consoles.", []),
            ("household", "Household products", "Cleaning products, bags, stationery.", []),
        ],
    ),
    (
        "clothing",
        "Clothing and uniforms",
        "Garments, school or club uniforms, logos.",
        [
            ("uniforms", "Uniforms and insignia", "School, sport club or work uniforms.", []),
            ("garments", "Garments and footwear", "Clothes, shoes, their labels.", []),
        ],
    ),
    (
        "furniture",
        "Furniture and fittings",
        "Furniture, fittings, fixtures, decoration.",
        [
            ("furnishings", "Furniture", "Beds, chairs, shelving, their makers.", []),
            ("fittings", "Fittings and fixtures", "Door handles, windows, radiators, taps.", []),
            ("decoration", "Decoration and textiles", "Wallpaper, curtains, bedding patterns.", []),
        ],
    ),
    (
        "electrical",
        "Electrical sockets and plugs",
        "Socket and plug types, switches.",
        [
            ("sockets", "Sockets", "Socket type (A to N), placement, covers.", []),
            ("plugs", "Plugs and chargers", "Plug types, chargers, adapters.", []),
            ("switches", "Light switches", "Switch shapes and makes.", []),
        ],
    ),
    ("architecture", "Architecture", "Building style, materials, roofs, windows.", []),
    ("flora", "Flora", "Plants, trees, crops seen indoors or out.", []),
    ("fauna", "Fauna", "Animals, pets, insects, birds.", []),
    ("marine-life", "Marine life", "Fish, shells, coral, aquarium species.", []),
    ("geology", "Geology and dust", "Rocks, soil, sand, dust and its colour.", []),
    ("landscape", "Landscape and climate", "Terrain, vegetation zones, weather, light.", []),
    ("signage", "Signage and road signs", "Shop signs, road signs, notices.", []),
    ("vehicles", "Vehicles and plates", "Vehicle makes, licence plate formats.", []),
    ("spoken-language", "Spoken language and dialect", "Language, accent, dialect words.", []),
    ("written-text", "Written text and script", "Script, spelling, handwriting, keyboards.", []),
    (
        "broadcast-audio",
        "Broadcast audio",
        "Radio, TV, music, announcements in the background.",
        [],
    ),
    ("time-markers", "Calendars and other time markers", "Calendars, dated items, seasons.", []),
]


def taxonomy_plant(node_model: Any, entries: list[TaxonomySeed] = SEED) -> None:
    """Plant ``entries`` under the root; nodes that already exist are left as they are.

    Takes the model as an argument so a migration can pass its historical model.
    """

    def plant(branch: list[TaxonomySeed], parent: Any, prefix: str) -> None:
        for position, (slug, label, description, children) in enumerate(branch):
            node, _created = node_model.objects.get_or_create(
                slug=slug,
                defaults={
                    "parent": parent,
                    "path": f"{prefix}{slug}/",
                    "label": label,
                    "description": description,
                    "position": position,
                },
            )
            plant(children, node, node.path)

    plant(entries, None, "")


def taxonomy_plant_if_empty(**kwargs: Any) -> None:
    """post_migrate: plant the seed into an empty tree (a new database, or one just flushed).

    A tree that has any node is the admins' to shape; it is never re-planted, so a seed
    node an admin removed stays removed.
    """
    from cases.models import ClueTaxonomyNode

    if not ClueTaxonomyNode.objects.exists():
        taxonomy_plant(ClueTaxonomyNode)
