//! Building a lineage graph from the recursive SQL's (row, depth) pairs (contract §4).
