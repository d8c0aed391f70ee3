"""planning domain: draft plans of the grid map, publishing and history."""
