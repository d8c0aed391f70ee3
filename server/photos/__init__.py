"""Photos of reports: processed, EXIF-stripped, stored in the database."""
