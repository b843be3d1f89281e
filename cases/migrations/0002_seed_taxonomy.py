from django.db import migrations


def seed_taxonomy(apps, schema_editor):
    """Plant the starting clue taxonomy; nodes that already exist are left as they are."""
    from cases.taxonomy_seed import SEED

    Node = apps.get_model("cases", "ClueTaxonomyNode")

    def plant(entries, parent, prefix):
        for position, (slug, label, description, children) in enumerate(entries):
            path = f"{prefix}{slug}/"
            node, _created = Node.objects.get_or_create(
                slug=slug,
                defaults={
                    "parent": parent,
                    "path": path,
                    "label": label,
                    "description": description,
                    "position": position,
                },
            )
            plant(children, node, node.path)

    plant(SEED, None, "")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed_taxonomy, migrations.RunPython.noop)]
