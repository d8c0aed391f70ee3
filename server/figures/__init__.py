"""Live figures per street, community and grid: 办结率, on time, 满意率, overdue now."""
