"""Pure geometry for gridlink: coordinates, bboxes, tiles, simplification and coverage."""
