"""Parts of the batch runner (``dateline.run``): backends where batches run, progress display."""
