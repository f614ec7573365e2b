//! A TCP proxy a test can cut and restore, to make a real database server unreachable for one
//! application without stopping the server that other tests share.

use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// Forwards `127.0.0.1:<port>` to a target address until [`TcpProxy::cut`].
pub struct TcpProxy {
    port: u16,
    target: String,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl TcpProxy {
    /// Starts forwarding to `target` (`host:port`) on a free local port.
    pub async fn start(target: &str) -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("proxy bind: {err}"),
        };
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let proxy = Self {
            port,
            target: target.to_owned(),
            tasks: Arc::new(Mutex::new(Vec::new())),
        };
        proxy.serve(listener);
        proxy
    }

    /// The local port clients should connect to.
    pub fn port(&self) -> u16 {
        self.port
    }

    fn serve(&self, listener: TcpListener) {
        let target = self.target.clone();
        let tasks = Arc::clone(&self.tasks);
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                let forward = tokio::spawn(async move {
                    if let Ok(mut upstream) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                    }
                });
                if let Ok(mut tasks) = tasks.lock() {
                    tasks.push(forward.abort_handle());
                }
            }
        });
        if let Ok(mut tasks) = self.tasks.lock() {
            tasks.push(accept.abort_handle());
        }
    }

    /// Drops every open connection and stops listening: the database looks down.
    pub fn cut(&self) {
        if let Ok(mut tasks) = self.tasks.lock() {
            for task in tasks.drain(..) {
                task.abort();
            }
        }
    }

    /// Listens again on the same port: the database is back.
    pub async fn restore(&self) {
        let listener = match TcpListener::bind(("127.0.0.1", self.port)).await {
            Ok(listener) => listener,
            Err(err) => panic!("proxy rebind: {err}"),
        };
        self.serve(listener);
    }
}
