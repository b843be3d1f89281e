from django.db import migrations


def seed_taxonomy(apps, schema_editor):
    """Plant the starting clue taxonomy; nodes that already exist are left as they are."""
    from cases.taxonomy_seed import taxonomy_plant

    taxonomy_plant(apps.get_model("cases", "ClueTaxonomyNode"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed_taxonomy, migrations.RunPython.noop)]
