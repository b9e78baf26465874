"""The HTML of an issue: the layout's templates filled with the validated manifests."""
