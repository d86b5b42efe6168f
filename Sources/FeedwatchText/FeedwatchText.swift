// FeedwatchText: built by its stage.
