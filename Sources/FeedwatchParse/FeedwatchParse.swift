// FeedwatchParse: built by its stage.
