// FeedwatchDaemonTests
