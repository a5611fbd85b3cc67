// Package web is the browser-facing HTTP adapter: server-rendered pages for
// people and staff, driven by the use cases of application.App. It lives in
// the folder adapters/web, named like the package so that no importer has
// to alias it, and so that it does not shadow net/http.
//
// Shape:
//   - routes.go lists every route with the access it needs; Patterns returns
//     them, so a test can check that every route has an authorisation case.
//   - One file per page (show_*.go) or action (the verb: log_in.go,
//     submit_ticket.go, ...). A page builds its view with a load function
//     that actions reuse to re-render it with form errors.
//   - templates/: partials.html, plus one file per page (its "title" and
//     "content") and one per page section kept apart (pageParts: the
//     account page's account_telegram.html), parsed once by NewHandler; a
//     missing template or message key stops construction. The layout
//     around every page is written in Go (layout_html.go), and so are the
//     two busiest pages, a person's list and the staff queue
//     (my_tickets_html.go, queue_html.go, with queue_filters_html.go and
//     the rows of both in ticket_rows_html.go), and the parts of the
//     ticket pages that grow with the ticket or show on every view
//     (ticket_parts_html.go: history, comments, files, facts, rating
//     buttons). Words come from the adapters/i18n catalogue.
//   - errors.go: the one error-to-status table.
//
// Wiring (bootstrap): h, err := web.NewHandler(app, web.Options{Logger: log,
// SecureCookies: strings.HasPrefix(cfg.PublicURL, "https://"), PublicURL:
// cfg.PublicURL, Ready: db.PingContext, Telegram: telegramApp}); serve h.
// Telegram (application.NewTelegramApp) drives the account page's Telegram
// section and the staff page of deliveries; built without a BotProfile it
// means "Telegram is off", and left nil the pages say the same. Build the App with
// Deps.Languages = i18n.Languages() so /account offers exactly the
// catalogue's languages.
//
// Cookies: crm_session (the session token, HttpOnly, SameSite=Lax, Secure
// under https), crm_lang (a chosen language, also for anonymous visitors),
// crm_flash (a message key and a number for the page after a redirect).
//
// Adding a route: write the handler file, add one line to routes.go with
// its access (public, loggedIn, staff, admin), and a template under
// templates/ if it is a page (add its name to pageNames); a page as busy as
// a person's list may write itself instead (writtenPage, as
// my_tickets_html.go and queue_html.go do, with golden copies of every
// state, made by the template first, to hold its markup). A raw handler that
// needs no session, like a webhook, can instead be passed in
// Options.Mounts. The account page has a marked place for more sections
// (templates/account.html, accountPage in show_account_page.go); each is a
// template file of its own listed in pageParts.
//
// The Telegram link token goes from POST /account/telegram/link (303) to
// the account page in a short-lived HttpOnly cookie bound to the account
// (linkCookie); the page is Cache-Control: no-store. It is never in a URL of
// ours or a log line.
//
// JSON API (/api/v1, api_*.go): apiRoutes in routes.go lists its endpoints,
// each an apiFunc wrapped by apiEndpoint, which authenticates the bearer
// token (application.AuthenticateToken, never the session cookie) and
// applies the same coarse access gate; the use cases decide the rest, as
// for the pages. Errors go through the same table (classify) and are
// answered as application/problem+json (api_problems.go), including the
// 404/405/413/500 answers of the shared middleware for /api/ paths
// (showProblem defers to writeProblem). The API is exempt from cross-origin
// protection: a bearer header is no ambient credential. openapi.json,
// embedded and served at GET /api/v1/openapi.json, must list exactly the
// API routes (a test compares). Adding an endpoint: an api_<verb>.go file,
// a line in apiRoutes, its path in openapi.json.
//
// GET /metrics (metrics.go) is Prometheus text from client_golang, out of
// a registry of the handler's own (Options.Metrics): requests by method,
// route pattern and status, durations by route, build info, the Go runtime
// and the process, Telegram sends, and pending and failed deliveries and
// the outbox lag when Options.Deliveries is set (metrics_deliveries.go).
// It needs no login and is meant for a private network.
package web
