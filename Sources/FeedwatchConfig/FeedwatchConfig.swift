// FeedwatchConfig: built by its stage.
