"""An index of each article's word scores by word (the anchored candidate pass, search.engine.candidate_sql);
it leads with the article, so it replaces the foreign key's own index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_upload_permissions'),
        ('search', '0007_match_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='termimpact',
            name='article',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.article', verbose_name='文章'),
        ),
        migrations.AddIndex(
            model_name='termimpact',
            index=models.Index(fields=['article', 'term'], include=('impact',), name='termimpact_article_term_idx'),
        ),
    ]
