"""The archive web site: records, pages, feed and index as data, their assets, and the build."""
