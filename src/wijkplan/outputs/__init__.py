"""Outputs: the GeoPackage build target, exports, documents. Every file is written atomically."""
