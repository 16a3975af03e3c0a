//! An in-process nuri for HTTP tests: the real router over a fresh database (SQLite unless a test
//! asks for another configured backend).

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use entity::Role;
use http_body_util::BodyExt;
use server::config::{Config, LogFormat};
use service::testing::TestDb;
use service::{Ctx, Registration};
use tower::ServiceExt;

pub const HOST: &str = "nuri.test";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub router: Router,
    pub ctx: Ctx,
    tdb: Option<TestDb>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// `name=value` of a Set-Cookie header, for sending back.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    }
}

impl TestApp {
    pub async fn new(registration: Registration) -> TestApp {
        Self::with(registration, false).await
    }

    /// `secure_cookies`: as behind TLS (`NURI_SECURE_COOKIES=true`).
    pub async fn with(registration: Registration, secure_cookies: bool) -> TestApp {
        Self::build("sqlite", registration, secure_cookies).await
    }

    /// On `backend` (one of `service::testing::backends()`).
    pub async fn on(backend: &'static str, registration: Registration) -> TestApp {
        Self::build(backend, registration, false).await
    }

    async fn build(
        backend: &'static str,
        registration: Registration,
        secure_cookies: bool,
    ) -> TestApp {
        let (tdb, db) = TestDb::new(backend).await;
        let ctx = service::testing::ctx(db, registration);
        let mut config = config(&tdb.url, registration, secure_cookies);
        config.data_dir = ctx.settings.data_dir.clone();
        let state = server::router::state(ctx.clone(), config);
        TestApp {
            router: server::router::build(state),
            ctx,
            tdb: Some(tdb),
        }
    }

    /// A second nuri process over the same database and keys, with caches of its own: what
    /// another replica behind the load balancer would be.
    pub fn replica(&self) -> Router {
        let ctx = self.ctx.replica();
        server::router::build(server::router::state(ctx, self.config()))
    }

    /// The state this app's router was built with (same database, settings and keys).
    pub fn state(&self) -> server::state::AppState {
        server::router::state(self.ctx.clone(), self.config())
    }

    /// A router over the same database with a configuration changed by `change`.
    pub fn router_with(&self, change: impl FnOnce(&mut Config)) -> Router {
        let mut config = self.config();
        change(&mut config);
        server::router::build(server::router::state(self.ctx.clone(), config))
    }

    fn config(&self) -> Config {
        let url = &self.tdb.as_ref().expect("a live test database").url;
        let mut config = config(url, self.ctx.settings.registration, false);
        config.data_dir = self.ctx.settings.data_dir.clone();
        config
    }

    /// `send` to another router (a replica).
    pub async fn send_to(router: &Router, req: Request<Body>) -> Reply {
        let res = router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn user(&self, email: &str, role: Role) -> entity::user::Model {
        service::users::create_by_operator(
            &self.ctx,
            service::users::NewUser::new(email, &format!("{role} person"), role, PASSWORD),
        )
        .await
        .unwrap()
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        Self::send_to(&self.router, req).await
    }

    /// A GET as a browser sends it (pages are only redirected for clients that accept HTML).
    pub async fn get(&self, uri: &str, auth: Auth<'_>) -> Reply {
        let req = request(Method::GET, uri, auth)
            .header(header::ACCEPT, "text/html,application/json;q=0.9,*/*;q=0.8")
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post_json(&self, uri: &str, auth: Auth<'_>, body: serde_json::Value) -> Reply {
        self.send(
            request(Method::POST, uri, auth)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// A browser form post without JavaScript (same origin).
    pub async fn post_form(&self, uri: &str, auth: Auth<'_>, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            request(Method::POST, uri, auth)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::ORIGIN, format!("http://{HOST}"))
                .header(header::REFERER, format!("http://{HOST}/login"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Tokens for `email` through the REST login.
    pub async fn tokens(&self, email: &str) -> serde_json::Value {
        let r = self
            .post_json(
                "/api/v1/auth/login",
                Auth::None,
                serde_json::json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    /// An access token for `email` through the REST login.
    pub async fn access_token(&self, email: &str) -> String {
        self.tokens(email).await["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A REST call with a bearer token and, when given, a JSON body.
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let req = request(method, uri, Auth::Bearer(token));
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        self.send(req.unwrap()).await
    }

    /// A browser session cookie for `email` through the login server function.
    pub async fn session(&self, email: &str) -> String {
        let r = self
            .post_form(
                "/api/fn/login",
                Auth::None,
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
        r.cookie(server::router::SESSION_COOKIE)
            .expect("session cookie")
    }

    pub async fn finish(mut self) {
        let tdb = self.tdb.take().unwrap();
        tdb.finish(self.ctx.db.clone()).await;
        service::testing::remove_data_dir(&self.ctx);
    }
}

fn config(database_url: &str, registration: Registration, secure_cookies: bool) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: std::env::temp_dir(),
        database_url: database_url.to_owned(),
        log_format: LogFormat::Text,
        registration,
        secure_cookies,
        site_root: std::env::temp_dir().join("nuri-no-site"),
        trust_proxy: false,
        trusted_proxy_hops: 1,
        metrics_token: None,
        metrics_listen: None,
        workspaces: Default::default(),
        hosting: Default::default(),
    }
}

#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Cookie(&'a str),
    Raw(&'a str),
}

pub fn request(method: Method, uri: &str, auth: Auth<'_>) -> axum::http::request::Builder {
    let b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST);
    match auth {
        Auth::None => b,
        Auth::Bearer(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
        Auth::Cookie(c) => b.header(header::COOKIE, c),
        Auth::Raw(v) => b.header(header::AUTHORIZATION, v),
    }
}

/// Asserts a problem+json answer with `status` and `code`.
pub fn assert_problem(r: &Reply, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(
        r.header("content-type"),
        "application/problem+json",
        "{}",
        r.body
    );
    let body = r.json();
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code, "{}", r.body);
    assert!(body["type"]
        .as_str()
        .unwrap()
        .starts_with("urn:nuri:problem:"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    body
}
