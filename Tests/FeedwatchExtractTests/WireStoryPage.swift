/// A page built like the product's source document: an agency dispatch as a regional news site
/// serves it. Written for these tests; every name and sentence is invented.
enum WireStoryPage {
    static let paragraphs = [
        "BAMAKO, Mali (AP) — Gunmen attacked a convoy carrying fuel near the town of Niono in central Mali on Tuesday, killing at least twelve drivers, local officials said.",
        "The attack happened about 40 kilometers from the regional capital, according to a district administrator who spoke on condition of anonymity because he was not authorized to talk to reporters.",
        "No group immediately claimed responsibility, but fighters linked to an al-Qaida affiliate have blockaded several towns in the region since September, cutting supply routes.",
        "Fuel shortages have closed schools and hospitals across the country, and long lines have formed at the few stations still selling petrol in the capital.",
        "The transitional government said in a statement that the army had launched an operation to secure the main roads and urged residents to remain calm.",
    ]
    static let headline = "Gunmen kill 12 fuel truck drivers in central Mali convoy attack"

    static var html: String {
        let body = paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en-US">
        <head>
        <meta charset="utf-8">
        <title>\(headline) | The Riverside Herald</title>
        <meta property="og:title" content="\(headline)">
        <meta property="article:published_time" content="2026-11-25T10:04:59+00:00">
        <meta name="author" content="Baba Ahmed, The Associated Press">
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
        "headline":"\(headline)","datePublished":"2026-11-25T10:04:59Z",
        "author":[{"@type":"Person","name":"Baba Ahmed"}],"inLanguage":"en-US"}</script>
        <script>window.dataLayer = [{"section":"world"}];</script>
        </head>
        <body class="article-template has-sidebar">
        <a class="skip-link screen-reader-text" href="#content">Skip to content</a>
        <header class="site-header">
          <div class="logo"><a href="/">The Riverside Herald</a></div>
          <nav><ul><li><a href="/news">News</a></li><li><a href="/sports">Sports</a></li>
          <li><a href="/opinion">Opinion</a></li><li><a href="/obituaries">Obituaries</a></li></ul></nav>
        </header>
        <div id="cookie-notice">We use cookies to improve your experience. By continuing to browse you accept our use of cookies and our privacy policy.</div>
        <main id="content">
        <h1>\(headline)</h1>
        <article>
          <h1 class="entry-title">\(headline)</h1>
          <div class="byline">By BABA AHMED Associated Press</div>
          <time datetime="2026-11-25T10:04:59+00:00">November 25, 2026</time>
          <div class="share-bar"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a> <a href="#">Print</a></div>
          <figure><img src="/convoy.jpg" alt=""><figcaption>Trucks wait at a checkpoint outside Niono in a photo taken last year. (AP Photo/File)</figcaption></figure>
          <div class="entry-content">
          \(body)
          </div>
          <div class="newsletter-signup"><h3>Get the morning briefing</h3>
          <p>Sign up for our free newsletter and get the day's most important stories delivered to your inbox every morning.</p>
          <form><input type="email"><button>Subscribe</button></form></div>
          <p>Comment count on this article reflects comments made on riversideherald.example and Facebook. Visit The Riverside Herald's Facebook Page.</p>
        </article>
        <section class="related-stories"><h2>Related</h2><ul>
          <li><a href="/a">Mali junta extends transition by five years as opposition parties are dissolved</a></li>
          <li><a href="/b">Fuel blockade in Mali enters its third month, leaving the capital short of petrol</a></li>
        </ul></section>
        </main>
        <footer><p>© 2026 The Riverside Herald. All rights reserved. Contact us, advertise with us, terms of service and privacy policy.</p></footer>
        </body></html>
        """
    }
}
