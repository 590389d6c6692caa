"""``id__any_of=[…]``: PostgreSQL's ``id = ANY(%s)``, a list of ids as one array parameter.

``id__in=[…]`` sends one parameter per id (PostgreSQL allows 65,535) and the planner reads
them one by one; an array is one value however long it is. PostgreSQL only.
"""

from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
