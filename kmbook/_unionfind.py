"""Disjoint sets (union-find with path halving), shared by the association and Buckshot code.

Private. ``union`` makes the smaller root the representative, so the sets (not
their representatives) are all that callers may rely on.
"""


class UnionFind:
    """Disjoint sets over ``0..n-1``."""

    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, a):
        """Representative of the set of `a`."""
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a, b):
        """Merge the sets of `a` and `b`."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
