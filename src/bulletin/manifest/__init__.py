"""Read the manifests (YAML, translations, JSON Schema) and word their problems plainly."""
