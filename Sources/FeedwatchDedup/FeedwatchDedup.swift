// FeedwatchDedup: built by its stage.
