//! The laptops' exchange on the LAN: iroh (QUIC, TLS with each laptop's node key, relays and
//! portmapping off, so nothing leaves the office network), mDNS to find paired laptops, and a
//! pairing step with a short code ([`pairing`]).
//!
//! [`TeamNode`] is what the app shell and `tagungsbuero-cli sync serve` run: it serves
//! exchanges and pairings on one port number (QUIC on UDP, pairing on TCP), exchanges with the
//! paired laptops now and then, and tells the caller when another laptop's changes arrived.
//! An exchange: both send a greeting with their Automerge heads, each sends the changes the
//! other lacks (as a sync file's bytes), each applies what it got in one transaction
//! ([`crate::sync::import_bytes`]) and says so. A connection that breaks off loses nothing: an
//! import commits whole or not at all, and the next exchange sends whatever is still missing.
//! Only paired laptops are served: a connection from any other node key is closed at once.

pub mod key;
mod pairing;
mod wire;

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use iroh::endpoint::{Connection, presets};
use iroh::{Endpoint, EndpointAddr, EndpointId, SecretKey};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use self::pairing::{Intro, Offer};
use self::wire::{Done, Hello, Refusal, read_frame, read_json, write_frame, write_json};
use crate::error::{CoreError, CoreResult};
use crate::store::{self, Store};

/// The QUIC application protocol of the exchange.
const ALPN: &[u8] = b"tagungsbuero/abgleich/1";
/// The mDNS service name the laptops announce themselves under.
const MDNS_SERVICE: &str = "tagungsbuero";
/// The port the app serves on unless it is taken.
pub const DEFAULT_PORT: u16 = 47111;
/// How long dialling a laptop may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);
/// How long one exchange may take (a year's data is a few MB).
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(120);
/// QUIC close code for a laptop that is not paired.
const NOT_PAIRED: u32 = 403;

pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Something the app shell may want to show (the team page refreshes; the header updates).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamEvent {
    /// `laeuft` (an exchange began), `aenderungen` (another laptop's changes were applied
    /// here: reload the data), `abgleich` (an exchange ended, nothing new here), `gekoppelt` (a laptop joined the team)
    /// or `fehler` (an exchange failed; `message` says why).
    pub kind: String,
    /// The other laptop.
    pub laptop_id: String,
    /// Its name.
    pub name: String,
    /// Changes applied here.
    pub applied: usize,
    /// German text for people.
    pub message: String,
}

/// Called on every [`TeamEvent`] (from a background thread).
pub type EventCallback = Arc<dyn Fn(&TeamEvent) + Send + Sync>;

/// How a [`TeamNode`] runs.
#[derive(Clone)]
pub struct TeamOptions {
    /// Where to serve exchanges (UDP) and pairings (TCP, same port number); port 0 picks one.
    pub listen: SocketAddr,
    /// Whether to listen for pairing requests (the CLI's `pair` and `once` do not need to).
    pub accept_pairing: bool,
    /// The laptop's secret node key (see [`key`]).
    pub secret_key: [u8; 32],
    /// Announce this laptop and find the others by mDNS.
    pub discovery: bool,
    /// Exchange with every paired laptop this often (`None`: only on [`TeamNode::sync_now`]).
    pub interval: Option<Duration>,
    /// Told about exchanges and pairings.
    pub on_event: Option<EventCallback>,
}

impl TeamOptions {
    /// The app's defaults for the database at `db`: serve on all interfaces at
    /// [`DEFAULT_PORT`], mDNS on, an exchange every 30 seconds, the key beside the database.
    pub fn for_database(db: &Path) -> CoreResult<TeamOptions> {
        Ok(TeamOptions {
            listen: SocketAddr::from(([0, 0, 0, 0], DEFAULT_PORT)),
            accept_pairing: true,
            secret_key: key::load_or_create(&key::key_path(db))?,
            discovery: true,
            interval: Some(Duration::from_secs(30)),
            on_event: None,
        })
    }
}

/// A code this laptop shows so another can join the team.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PairingOffer {
    /// Eight digits to type on the other laptop.
    pub code: String,
    /// Addresses (host:port) the other laptop can reach this one at.
    pub addresses: Vec<String>,
    /// When the code stops working (UTC, RFC 3339).
    pub expires_at: String,
}

/// A laptop this one paired with.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerInfo {
    /// Its laptop id.
    pub laptop_id: String,
    /// Its name.
    pub name: String,
    /// Its public node key.
    pub node_id: String,
    /// Where it was reached.
    pub address: Option<String>,
}

/// A paired laptop as the team page shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerStatus {
    /// Its laptop id.
    pub laptop_id: String,
    /// Its name.
    pub name: String,
    /// Its public node key.
    pub node_id: String,
    /// The address it was last reached at.
    pub address: Option<String>,
    /// Last successful exchange (UTC), if any.
    pub last_contact: Option<String>,
    /// Whether the last attempt to reach it (within the last few minutes) succeeded.
    pub online: bool,
    /// Changes of this laptop it does not have yet, as far as known.
    pub waiting: usize,
}

/// What one exchange did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExchangeReport {
    /// The other laptop.
    pub laptop_id: String,
    /// Its name.
    pub name: String,
    /// Changes sent to it.
    pub sent: usize,
    /// Changes from it that were new here.
    pub applied: usize,
    /// Bytes sent.
    #[ts(type = "number")]
    pub bytes_sent: u64,
    /// Bytes received.
    #[ts(type = "number")]
    pub bytes_received: u64,
    /// Open conflicts here after the exchange.
    pub conflicts: usize,
}

/// State shared by the node's tasks.
struct Shared {
    store: Mutex<Store>,
    endpoint: Endpoint,
    /// The port pairing and exchanges are served on.
    port: u16,
    offer: Mutex<Option<Offer>>,
    /// Last attempt to reach each laptop: when, and whether it worked.
    reach: Mutex<HashMap<String, (Instant, bool)>>,
    on_event: Option<EventCallback>,
}

impl Shared {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn emit(&self, event: TeamEvent) {
        if let Some(callback) = &self.on_event {
            callback(&event);
        }
    }

    fn note_reach(&self, laptop: &str, ok: bool) {
        self.reach
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(laptop.to_owned(), (Instant::now(), ok));
    }
}

/// Runs `f` with the store on a blocking thread.
async fn with_store<T: Send + 'static>(
    shared: &Arc<Shared>,
    f: impl FnOnce(&mut Store) -> CoreResult<T> + Send + 'static,
) -> CoreResult<T> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || f(&mut shared.store()))
        .await
        .map_err(|e| CoreError::Conflict(format!("Der Abgleich wurde unterbrochen: {e}")))?
}

/// This laptop in the team: serves exchanges and pairings, exchanges with the paired laptops,
/// reports what arrived. Runs on its own runtime (two threads); every method blocks the calling
/// thread until done and may be called from any thread, also from inside another async runtime
/// (the app shell's commands), since it waits on a channel rather than entering the runtime.
pub struct TeamNode {
    runtime: Option<tokio::runtime::Runtime>,
    shared: Arc<Shared>,
}

impl TeamNode {
    /// Starts serving with `store` (a connection of its own, e.g. `Store::second_connection`,
    /// with the sync attached: `sync::attach`).
    pub fn start(store: Store, options: TeamOptions) -> CoreResult<TeamNode> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("abgleich")
            .enable_all()
            .build()
            .map_err(|e| CoreError::Conflict(format!("Der Abgleich kann nicht starten: {e}")))?;
        let secret = SecretKey::from_bytes(&options.secret_key);
        let listen = options.listen;
        let discovery = options.discovery;
        let accept_pairing = options.accept_pairing;
        let (endpoint, tcp) = wait(&runtime, async move {
            bind(listen, secret, discovery, accept_pairing).await
        })?;
        let port = endpoint
            .bound_sockets()
            .first()
            .map_or(listen.port(), SocketAddr::port);
        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            endpoint,
            port,
            offer: Mutex::new(None),
            reach: Mutex::new(HashMap::new()),
            on_event: options.on_event.clone(),
        });
        runtime.spawn(serve_exchanges(shared.clone()));
        if let Some(tcp) = tcp {
            runtime.spawn(serve_pairings(shared.clone(), tcp));
        }
        if let Some(interval) = options.interval {
            let shared = shared.clone();
            runtime.spawn(async move {
                loop {
                    tokio::time::sleep(interval).await;
                    let _ = exchange_with_all(&shared).await;
                }
            });
        }
        Ok(TeamNode {
            runtime: Some(runtime),
            shared,
        })
    }

    fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = CoreResult<T>> + Send + 'static,
    ) -> CoreResult<T> {
        wait(self.runtime.as_ref().expect("running until shutdown"), fut)
    }

    /// This laptop's public node key.
    pub fn node_id(&self) -> String {
        self.shared.endpoint.id().to_string()
    }

    /// The port exchanges and pairings are served on.
    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// The current pairing code (a new one when there is none or it expired).
    pub fn pairing_offer(&self) -> CoreResult<PairingOffer> {
        let mut slot = self.shared.offer.lock().unwrap_or_else(|p| p.into_inner());
        if !slot.as_ref().is_some_and(Offer::is_valid) {
            *slot = Some(Offer::new());
        }
        let offer = slot.as_ref().expect("just set");
        Ok(PairingOffer {
            code: offer.code.clone(),
            addresses: local_addresses(self.shared.port),
            expires_at: offer
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
    }

    /// Joins the team of the laptop at `peer_addr` (host:port) with the code it shows.
    pub fn pair(&self, peer_addr: &str, code: &str) -> CoreResult<PeerInfo> {
        let shared = self.shared.clone();
        let peer_addr = peer_addr.to_owned();
        let code = code.to_owned();
        self.run(async move { pair(&shared, &peer_addr, &code).await })
    }

    /// The paired laptops.
    pub fn peers(&self) -> CoreResult<Vec<PeerStatus>> {
        let status = crate::sync::status(&mut self.shared.store())?;
        let waiting: HashMap<String, usize> = status
            .peers
            .iter()
            .map(|p| (p.laptop_id.clone(), p.waiting))
            .collect();
        let reach = self
            .shared
            .reach
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let store = self.shared.store();
        let mut stmt = store.connection().prepare(
            "SELECT laptop_id, name, node_key, address, last_contact FROM sync_peers
             WHERE node_key IS NOT NULL ORDER BY name, laptop_id",
        )?;
        let peers = stmt
            .query_map([], |r| {
                let laptop_id: String = r.get(0)?;
                Ok(PeerStatus {
                    online: reach
                        .get(&laptop_id)
                        .is_some_and(|(at, ok)| *ok && at.elapsed() < Duration::from_secs(180)),
                    waiting: waiting.get(&laptop_id).copied().unwrap_or(0),
                    laptop_id,
                    name: r.get(1)?,
                    node_id: r.get(2)?,
                    address: r.get(3)?,
                    last_contact: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(peers)
    }

    /// Removes a laptop from the team: its key is forgotten, so it is refused from now on (what
    /// it already has stays on it).
    pub fn remove_peer(&self, laptop_id: &str) -> CoreResult<()> {
        remove_peer(&mut self.shared.store(), laptop_id)
    }

    /// Exchanges with every paired laptop now; one report per laptop reached (those not
    /// reached are reported through the event callback and left for the next round).
    pub fn sync_now(&self) -> CoreResult<Vec<ExchangeReport>> {
        let shared = self.shared.clone();
        self.run(async move { exchange_with_all(&shared).await })
    }

    /// One exchange with the paired laptop at `peer_addr` (host:port).
    pub fn sync_with(&self, peer_addr: &str) -> CoreResult<ExchangeReport> {
        let shared = self.shared.clone();
        let peer_addr = peer_addr.to_owned();
        self.run(async move {
            let addr = resolve(&peer_addr).await?;
            let peer = with_store(&shared, move |store| peer_by_address(store, addr)).await?;
            let Some((laptop, node)) = peer else {
                return Err(CoreError::Conflict(format!(
                    "Mit dem Laptop unter {peer_addr} ist dieser Laptop nicht gekoppelt. Bitte zuerst koppeln (Teamseite, oder: tagungsbuero-cli sync pair --peer {peer_addr} --code CODE)."
                )));
            };
            exchange_with(&shared, &laptop, node, Some(addr)).await
        })
    }

    /// Stops serving and closes the connections.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            let endpoint = self.shared.endpoint.clone();
            let _ = wait(&runtime, async move {
                endpoint.close().await;
                Ok(())
            });
            runtime.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

impl Drop for TeamNode {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `fut` on `runtime` and waits for it on this thread (without entering the runtime).
fn wait<T: Send + 'static>(
    runtime: &tokio::runtime::Runtime,
    fut: impl Future<Output = CoreResult<T>> + Send + 'static,
) -> CoreResult<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    runtime.spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .map_err(|_| CoreError::Conflict("Der Abgleich wurde beendet.".to_owned()))?
}

/// How often binding is tried when the system picks the port (`…:0`).
const BIND_ATTEMPTS: usize = 5;

/// Binds the QUIC endpoint and, when pairing is accepted, the TCP pairing
/// listener on the same port. With port 0 the system picks the UDP port, and
/// that TCP port may be taken by another program (rarely, but it ended a
/// `sync serve` in an E2E run): then the next attempt takes another port.
async fn bind(
    listen: SocketAddr,
    secret: SecretKey,
    discovery: bool,
    accept_pairing: bool,
) -> CoreResult<(Endpoint, Option<tokio::net::TcpListener>)> {
    let attempts = if listen.port() == 0 { BIND_ATTEMPTS } else { 1 };
    let mut outcome = bind_once(listen, secret.clone(), discovery, accept_pairing).await;
    for _ in 1..attempts {
        if outcome.is_ok() {
            break;
        }
        outcome = bind_once(listen, secret.clone(), discovery, accept_pairing).await;
    }
    outcome
}

async fn bind_once(
    listen: SocketAddr,
    secret: SecretKey,
    discovery: bool,
    accept_pairing: bool,
) -> CoreResult<(Endpoint, Option<tokio::net::TcpListener>)> {
    let in_use = |e: &dyn std::fmt::Display| {
        CoreError::Conflict(format!(
            "Der Abgleich kann nicht an {listen} lauschen ({e}). Ist der Port schon belegt?"
        ))
    };
    let builder = Endpoint::builder(presets::Minimal)
        .secret_key(secret)
        .alpns(vec![ALPN.to_vec()])
        .relay_mode(iroh::RelayMode::Disabled)
        .clear_ip_transports()
        .bind_addr(listen)
        .map_err(|e| in_use(&e))?;
    let endpoint = builder.bind().await.map_err(|e| in_use(&e))?;
    let tcp = if accept_pairing {
        let port = endpoint
            .bound_sockets()
            .first()
            .map_or(listen.port(), SocketAddr::port);
        match tokio::net::TcpListener::bind(SocketAddr::new(listen.ip(), port)).await {
            Ok(tcp) => Some(tcp),
            Err(e) => {
                endpoint.close().await;
                return Err(in_use(&e));
            }
        }
    } else {
        None
    };
    if discovery {
        // Best effort: without multicast (some networks, CI) paired laptops are still reached
        // at their last address.
        if let Ok(mdns) = iroh_mdns_address_lookup::MdnsAddressLookup::builder()
            .service_name(MDNS_SERVICE)
            .build(endpoint.id())
            && let Ok(lookup) = endpoint.address_lookup()
        {
            lookup.add(mdns);
        }
    }
    Ok((endpoint, tcp))
}

/// The addresses (host:port) this laptop can be reached at, for the pairing screen.
fn local_addresses(port: u16) -> Vec<String> {
    // The interface used for the LAN: the source address of a UDP socket "connected" to a
    // private address (no packet is sent).
    let mut out = Vec::new();
    if let Ok(socket) = std::net::UdpSocket::bind("0.0.0.0:0")
        && socket.connect("192.168.0.1:9").is_ok()
        && let Ok(addr) = socket.local_addr()
        && !addr.ip().is_unspecified()
    {
        out.push(SocketAddr::new(addr.ip(), port).to_string());
    }
    out.push(format!("127.0.0.1:{port}"));
    out
}

async fn resolve(peer_addr: &str) -> CoreResult<SocketAddr> {
    tokio::net::lookup_host(peer_addr)
        .await
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            CoreError::Conflict(format!(
                "„{peer_addr}“ ist keine Adresse. Bitte Rechner und Port angeben, z. B. 192.168.1.20:{DEFAULT_PORT}."
            ))
        })
}

fn own_intro(store: &mut Store, node: EndpointId, port: Option<u16>) -> CoreResult<Intro> {
    let conn = store.connection();
    Ok(Intro {
        node: node.to_string(),
        laptop: crate::sync::laptop_id(conn)?,
        name: crate::sync::laptop_name(conn)?,
        format: crate::sync::FORMAT,
        schema: i64::try_from(store::latest_schema_version()).unwrap_or(i64::MAX),
        port,
    })
}

/// Stores a paired laptop (a laptop paired again replaces its old key).
fn remember_paired(store: &mut Store, intro: &Intro, address: Option<String>) -> CoreResult<()> {
    store.write(|tx| {
        if intro.laptop == crate::sync::laptop_id(tx)? {
            return Err(CoreError::Conflict(
                "Ein Laptop kann nicht mit sich selbst gekoppelt werden.".to_owned(),
            ));
        }
        tx.execute(
            "UPDATE sync_peers SET node_key = NULL WHERE node_key = ?1 AND laptop_id <> ?2",
            params![intro.node, intro.laptop],
        )?;
        tx.execute(
            "INSERT INTO sync_peers (laptop_id, name, node_key, address, paired_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (laptop_id) DO UPDATE SET
                 name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE sync_peers.name END,
                 node_key = excluded.node_key,
                 address = ifnull(excluded.address, sync_peers.address),
                 paired_at = excluded.paired_at",
            params![
                intro.laptop,
                intro.name,
                intro.node,
                address,
                store::now_utc()
            ],
        )?;
        Ok(())
    })
}

fn remove_peer(store: &mut Store, laptop_id: &str) -> CoreResult<()> {
    let changed = store.write(|tx| {
        Ok(tx.execute(
            "UPDATE sync_peers SET node_key = NULL, address = NULL, paired_at = NULL
             WHERE laptop_id = ?1 AND node_key IS NOT NULL",
            [laptop_id],
        )?)
    })?;
    if changed == 0 {
        return Err(CoreError::NotFound {
            what: "Der gekoppelte Laptop",
        });
    }
    Ok(())
}

fn peer_by_address(
    store: &mut Store,
    addr: SocketAddr,
) -> CoreResult<Option<(String, EndpointId)>> {
    let row: Option<(String, String)> = store
        .connection()
        .query_row(
            "SELECT laptop_id, node_key FROM sync_peers
             WHERE address = ?1 AND node_key IS NOT NULL",
            [addr.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(laptop, node)| node.parse().ok().map(|n| (laptop, n))))
}

fn paired_laptop(store: &mut Store, node: EndpointId) -> CoreResult<Option<String>> {
    Ok(store
        .connection()
        .query_row(
            "SELECT laptop_id FROM sync_peers WHERE node_key = ?1",
            [node.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

async fn pair(shared: &Arc<Shared>, peer_addr: &str, code: &str) -> CoreResult<PeerInfo> {
    let addr = resolve(peer_addr).await?;
    let node = shared.endpoint.id();
    let port = shared.port;
    let own = with_store(shared, move |s| own_intro(s, node, Some(port))).await?;
    let theirs = pairing::join(addr, code, &own).await?;
    let address = addr.to_string();
    let (intro, stored) = (theirs.clone(), address.clone());
    with_store(shared, move |s| remember_paired(s, &intro, Some(stored))).await?;
    shared.emit(TeamEvent {
        kind: "gekoppelt".into(),
        laptop_id: theirs.laptop.clone(),
        name: theirs.name.clone(),
        applied: 0,
        message: format!(
            "Mit {} gekoppelt.",
            display_name(&theirs.name, &theirs.laptop)
        ),
    });
    Ok(PeerInfo {
        laptop_id: theirs.laptop,
        name: theirs.name,
        node_id: theirs.node,
        address: Some(address),
    })
}

fn display_name(name: &str, laptop: &str) -> String {
    if name.is_empty() {
        format!("Laptop {}", laptop.chars().take(8).collect::<String>())
    } else {
        name.to_owned()
    }
}

async fn serve_pairings(shared: Arc<Shared>, listener: tokio::net::TcpListener) {
    while let Ok((stream, from)) = listener.accept().await {
        let shared = shared.clone();
        tokio::spawn(async move {
            let offer_slot = shared.clone();
            let offer = move |failed: bool| {
                let mut slot = offer_slot.offer.lock().unwrap_or_else(|p| p.into_inner());
                let offer = slot.as_mut().filter(|o| o.is_valid())?;
                if failed {
                    offer.failures += 1;
                }
                Some(offer.code.clone())
            };
            let accepting = shared.clone();
            let accept = move |intro: Intro| -> BoxFuture<CoreResult<Intro>> {
                Box::pin(async move {
                    let address = intro
                        .port
                        .map(|p| SocketAddr::new(from.ip(), p).to_string());
                    let node = accepting.endpoint.id();
                    let port = accepting.port;
                    let joined = intro.clone();
                    let own = with_store(&accepting, move |s| {
                        remember_paired(s, &joined, address)?;
                        own_intro(s, node, Some(port))
                    })
                    .await?;
                    accepting.emit(TeamEvent {
                        kind: "gekoppelt".into(),
                        laptop_id: intro.laptop.clone(),
                        name: intro.name.clone(),
                        applied: 0,
                        message: format!(
                            "{} gehört jetzt zum Team.",
                            display_name(&intro.name, &intro.laptop)
                        ),
                    });
                    Ok(own)
                })
            };
            let _ = pairing::answer(stream, offer, accept).await;
        });
    }
}

async fn serve_exchanges(shared: Arc<Shared>) {
    while let Some(incoming) = shared.endpoint.accept().await {
        let shared = shared.clone();
        tokio::spawn(async move {
            let Ok(accepting) = incoming.accept() else {
                return;
            };
            let Ok(conn) = accepting.await else {
                return;
            };
            let node = conn.remote_id();
            let laptop = with_store(&shared, move |s| paired_laptop(s, node)).await;
            let Ok(Some(laptop)) = laptop else {
                conn.close(NOT_PAIRED.into(), b"nicht gekoppelt");
                return;
            };
            let result = tokio::time::timeout(
                EXCHANGE_TIMEOUT,
                exchange_rounds(&shared, &conn, &laptop, false),
            )
            .await;
            match result {
                // The dialling side closes once it has read our last frame.
                Ok(Ok(_)) => {
                    let _ = tokio::time::timeout(Duration::from_secs(5), conn.closed()).await;
                }
                Ok(Err(e)) => report_failure(&shared, &laptop, &e),
                Err(_) => conn.close(0u32.into(), b"zeit"),
            }
        });
    }
}

fn report_failure(shared: &Shared, laptop: &str, error: &CoreError) {
    shared.note_reach(laptop, false);
    shared.emit(TeamEvent {
        kind: "fehler".into(),
        laptop_id: laptop.to_owned(),
        name: String::new(),
        applied: 0,
        message: error.to_string(),
    });
}

async fn exchange_with_all(shared: &Arc<Shared>) -> CoreResult<Vec<ExchangeReport>> {
    let peers: Vec<(String, String, Option<String>)> = with_store(shared, |s| {
        Ok(s.connection()
            .prepare(
                "SELECT laptop_id, node_key, address FROM sync_peers
                 WHERE node_key IS NOT NULL ORDER BY laptop_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?)
    })
    .await?;
    let mut reports = Vec::new();
    for (laptop, node, address) in peers {
        let Ok(node) = node.parse::<EndpointId>() else {
            continue;
        };
        let addr = address.and_then(|a| a.parse().ok());
        match exchange_with(shared, &laptop, node, addr).await {
            Ok(report) => reports.push(report),
            Err(e) => report_failure(shared, &laptop, &e),
        }
    }
    Ok(reports)
}

/// Dials a paired laptop (at `addr` if known, else where mDNS finds it) and exchanges.
async fn exchange_with(
    shared: &Arc<Shared>,
    laptop: &str,
    node: EndpointId,
    addr: Option<SocketAddr>,
) -> CoreResult<ExchangeReport> {
    let mut target = EndpointAddr::new(node);
    if let Some(addr) = addr {
        target = target.with_ip_addr(addr);
    }
    let shown = addr.map_or_else(|| laptop.to_owned(), |a| a.to_string());
    let conn = tokio::time::timeout(CONNECT_TIMEOUT, shared.endpoint.connect(target, ALPN))
        .await
        .map_err(|_| unreachable(&shown))?
        .map_err(|_| unreachable(&shown))?;
    let result = tokio::time::timeout(
        EXCHANGE_TIMEOUT,
        exchange_rounds(shared, &conn, laptop, true),
    )
    .await
    .map_err(|_| CoreError::Conflict(format!("Der Abgleich mit {shown} hat zu lange gedauert.")))
    .and_then(|r| r);
    let result = result.map_err(|e| match conn.close_reason() {
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(close))
            if close.error_code == NOT_PAIRED.into() =>
        {
            CoreError::Conflict(format!(
                "Der Laptop unter {shown} lehnt den Abgleich ab: dieser Laptop gehört dort nicht (mehr) zum Team. Bitte neu koppeln."
            ))
        }
        _ => e,
    });
    conn.close(0u32.into(), b"fertig");
    let report = result?;
    if let Some(addr) = addr {
        let laptop = laptop.to_owned();
        with_store(shared, move |s| {
            s.write(|tx| {
                tx.execute(
                    "UPDATE sync_peers SET address = ?2 WHERE laptop_id = ?1",
                    params![laptop, addr.to_string()],
                )?;
                Ok(())
            })
        })
        .await?;
    }
    Ok(report)
}

fn unreachable(shown: &str) -> CoreError {
    CoreError::Conflict(format!(
        "Der Laptop {shown} ist nicht erreichbar. Läuft dort Tagungsbüro, und sind beide im selben Netz? Die Änderungen warten bis zum nächsten Abgleich."
    ))
}

/// The exchange over an authenticated connection: one round, and a second one when the two
/// laptops began on different history epochs — the first round let the one behind take over
/// the other's epoch (`sync::history`), the second brings its carried-over work back. Both
/// sides see the epochs in the greetings, so both know whether a second round follows.
async fn exchange_rounds(
    shared: &Arc<Shared>,
    conn: &Connection,
    laptop: &str,
    dialling: bool,
) -> CoreResult<ExchangeReport> {
    let (first, epochs_differed) = exchange(shared, conn, laptop, dialling).await?;
    if !epochs_differed {
        return Ok(first);
    }
    let (second, _) = exchange(shared, conn, laptop, dialling).await?;
    Ok(ExchangeReport {
        sent: first.sent + second.sent,
        applied: first.applied + second.applied,
        bytes_sent: first.bytes_sent + second.bytes_sent,
        bytes_received: first.bytes_received + second.bytes_received,
        ..second
    })
}

/// One round over an authenticated connection with the paired laptop `laptop`; also whether
/// the two laptops were on different history epochs.
async fn exchange(
    shared: &Arc<Shared>,
    conn: &Connection,
    laptop: &str,
    dialling: bool,
) -> CoreResult<(ExchangeReport, bool)> {
    let (mut send, mut recv) = if dialling {
        conn.open_bi().await.map_err(wire::lost)?
    } else {
        conn.accept_bi().await.map_err(wire::lost)?
    };
    let own = with_store(shared, |s| {
        let heads = crate::sync::own_heads(s)?;
        let conn = s.connection();
        Ok(Hello {
            laptop: crate::sync::laptop_id(conn)?,
            name: crate::sync::laptop_name(conn)?,
            format: crate::sync::FORMAT,
            schema: i64::try_from(store::latest_schema_version()).unwrap_or(i64::MAX),
            heads,
            epoch: crate::sync::engine::current_epoch(conn)?,
        })
    })
    .await?;
    write_json(&mut send, &own).await?;
    let theirs: Hello = read_json(&mut recv).await?;
    if let Err(e) = crate::sync::file::check_versions(theirs.format, theirs.schema) {
        let _ = write_json(
            &mut send,
            &Refusal {
                fehler: e.to_string(),
            },
        )
        .await;
        return Err(e);
    }
    if theirs.laptop != laptop {
        return Err(CoreError::Conflict(
            "Der andere Laptop meldet sich mit einer anderen Kennung als bei der Kopplung. Bitte neu koppeln."
                .to_owned(),
        ));
    }
    shared.emit(TeamEvent {
        kind: "laeuft".into(),
        laptop_id: theirs.laptop.clone(),
        name: theirs.name.clone(),
        applied: 0,
        message: format!(
            "Abgleich beginnt: {}",
            display_name(&theirs.name, &theirs.laptop)
        ),
    });
    // A laptop of another history epoch names its heads in terms this one may not know: it
    // gets everything, which is what a rebase needs.
    let epochs_differ = theirs.epoch != own.epoch;
    let heads = if epochs_differ {
        Vec::new()
    } else {
        theirs.heads.clone()
    };
    let peer = theirs.laptop.clone();
    let package = with_store(shared, move |s| crate::sync::export_for(s, &heads, &peer)).await?;
    // Both directions at once: two large packages must not wait on each other's flow control.
    let (sent, received) = tokio::join!(
        write_frame(&mut send, &package.bytes),
        read_frame(&mut recv)
    );
    sent?;
    let received = received?;
    let bytes_received = received.len() as u64;
    let (report, _) =
        with_store(shared, move |s| crate::sync::import_outcome(s, &received)).await?;
    // The dialling side says it is done first, the serving side answers; the dialling side
    // closes the connection only after that answer (its last frame), so no frame is cut off.
    let done = Done {
        applied: report.applied,
    };
    if dialling {
        write_json(&mut send, &done).await?;
        let _ = send.finish();
        let _theirs: Done = read_json(&mut recv).await?;
    } else {
        let _theirs: Done = read_json(&mut recv).await?;
        write_json(&mut send, &done).await?;
        let _ = send.finish();
    }
    shared.note_reach(laptop, true);
    let exchange = ExchangeReport {
        laptop_id: theirs.laptop.clone(),
        name: theirs.name.clone(),
        sent: package.changes,
        applied: report.applied,
        bytes_sent: package.bytes.len() as u64,
        bytes_received,
        conflicts: report.conflicts.len(),
    };
    let who = display_name(&theirs.name, &theirs.laptop);
    shared.emit(TeamEvent {
        kind: if report.applied > 0 {
            "aenderungen".into()
        } else {
            "abgleich".into()
        },
        laptop_id: theirs.laptop,
        name: theirs.name,
        applied: report.applied,
        message: format!(
            "Abgleich mit {who}: {} Änderungen gesendet, {} übernommen.",
            package.changes, report.applied
        ),
    });
    Ok((exchange, epochs_differ))
}

#[cfg(test)]
mod tests;
