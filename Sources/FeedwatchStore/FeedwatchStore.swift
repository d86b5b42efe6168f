// FeedwatchStore: built by its stage.
