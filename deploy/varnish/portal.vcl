# The portal's front cache: Debian's Varnish between nginx (TLS) and the application servers
# (docs/deploy.md, "Several servers"). Copy to /etc/varnish/portal.vcl and set the addresses below.
#
# What it keeps: exactly what the application marks public (Cache-Control: public), for as long as the
# application says (s-maxage, else max-age), one copy per language (the `lang` cookie: zh-hans without it,
# en, ug). Never: other methods than GET and HEAD, the back office and other personal paths, requests of
# signed-in staff (a session cookie), responses that set a cookie or are private, no-cache or no-store.
# Other cookies (csrftoken, say) are taken off cached requests, so they neither split the cache nor
# reach the application through it.
#
# What drops a page: a PURGE from this machine (the application sends one per changed path once the change
# is committed: portal/frontcache.py). It drops the path with any query string (a scan's ?s=), in any
# spelling of its case (/p/ab12/ and /P/AB12/), in every language and for every host name.
vcl 4.1;

import directors;
import std;

probe healthz {
    # /healthz answers 200 only while the server reaches its database and cache. The Host must be one of
    # ALLOWED_HOSTS; X-Forwarded-Proto keeps SECURE_SSL_REDIRECT from answering with a redirect.
    .request = "GET /healthz HTTP/1.1"
               "Host: nc.example.cn"
               "X-Forwarded-Proto: https"
               "Connection: close";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

# The application servers (gunicorn, deploy/systemd/portal@.service): one line each.
backend app1 { .host = "127.0.0.1"; .port = "8001"; .probe = healthz; .first_byte_timeout = 65s; }
backend app2 { .host = "127.0.0.1"; .port = "8002"; .probe = healthz; .first_byte_timeout = 65s; }

# Public media on the object storage (S3_ENDPOINT_URL): /media/<name> is <S3_BUCKET>/<S3_MEDIA_PREFIX>/<name>.
backend media { .host = "127.0.0.1"; .port = "9000"; }

# Who may purge: the application servers (here on this machine).
acl purgers { "127.0.0.1"; "::1"; }

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app1);
    apps.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = apps.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # The application purges plain paths; anything else would be read as a pattern.
        if (req.url !~ "^/[A-Za-z0-9/_.~%-]*$") {
            return (synth(400, "Not a path"));
        }
        if (!std.ban("obj.http.x-url ~ (?i)^" + req.url + "(\?.*)?$")) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Purged"));
    }

    # Only reads are cached; forms and uploads go straight through, cookies and all.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The back office, the complaint form and tracking, the inspectors' phone app, the language switch,
    # documents (which may be private) and the health check: never from the cache.
    if (req.url ~ "^/(admin|complaints|field|lang|documents|healthz)(/|\?|$)") {
        return (pass);
    }
    # Signed-in staff see their own pages (the Wagtail user bar); never stored, never served a public copy.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }

    if (req.url ~ "^/media/") {
        set req.backend_hint = media;
        set req.http.Host = "127.0.0.1:9000";
        set req.url = "/portal-media/media/" + regsub(req.url, "^/media/", "");
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }

    # One copy per language: the language cookie alone is kept (Chinese needs none).
    if (req.http.Cookie ~ "(^|;\s*)lang=(en|ug)(;|$)") {
        set req.http.Cookie = regsub(req.http.Cookie, "^(.*;\s*)?lang=(en|ug)(;.*)?$", "lang=\2");
    } else {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_response {
    # Bans test the stored object's address (the ban lurker can then drop objects in the background).
    set beresp.http.x-url = bereq.url;

    if (bereq.url ~ "^/portal-media/") {
        # Uploads get new names, never new contents; a deleted photo lingers at most an hour.
        if (beresp.status == 200) {
            set beresp.ttl = 1h;
        } else {
            set beresp.ttl = 10s;
        }
        unset beresp.http.Set-Cookie;
        return (deliver);
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        # Not public: fetched afresh for each request (remembered as such for two minutes).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # beresp.ttl is the application's s-maxage (or max-age). After a purge the next request waits for
    # the new page; after the lifetime ends, one request refreshes it while the others get the old copy
    # for a few seconds more.
    set beresp.grace = 10s;
    # The application sends text uncompressed; compress it once here, for every phone that asks.
    if (beresp.http.Content-Type ~ "^(text/|application/(json|javascript|xml|rss\+xml)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
