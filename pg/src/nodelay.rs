//! TCP_NODELAY on the process's TCP sockets, which sqlx 0.9.0 no longer sets.
//!
//! Without it, a message written right after another one waits for the server's delayed ACK
//! (~40 ms, Nagle's algorithm): every `COPY` pays it once, at `CopyDone`, which made `COPY`
//! unusable for a deploy of many tables. sqlx set the option until 0.8 and sets it again after
//! 0.9.0 (transact-rs/sqlx#4335, fixed by #4336, not released yet); until then the seeder sets
//! it itself on every new connection. Remove this module once sqlx does it again.
//!
//! sqlx does not expose a connection's socket, so the hook runs on a new connection (the pool's
//! `after_connect`, see [`crate::connect`]) and sets the option on the sockets of this process
//! that are connected to that connection's server address: the connection itself, and any
//! other connection to the same server, which wants it as much. Other sockets of the process
//! (a library caller's) are left as they are.

use sqlx::postgres::PgConnectOptions;

/// Sets TCP_NODELAY on this process's TCP connections to the server `options` name (none for a
/// Unix socket); returns how many it set it on. Linux only (reads `/proc/self/fd`); elsewhere
/// it does nothing.
pub fn on_connections_to(options: &PgConnectOptions) -> usize {
    if options.get_socket().is_some() {
        return 0;
    }
    let host = options.get_host();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(addresses) = std::net::ToSocketAddrs::to_socket_addrs(&(host, options.get_port()))
    else {
        return 0;
    };
    let servers: Vec<std::net::SocketAddr> = addresses.collect();
    #[cfg(target_os = "linux")]
    {
        linux::apply(&servers)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = servers;
        0
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::os::fd::{BorrowedFd, RawFd};

    use socket2::{SockRef, Type};

    pub fn apply(servers: &[std::net::SocketAddr]) -> usize {
        let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
            return 0;
        };
        let mut set = 0;
        for entry in entries.flatten() {
            let Some(fd) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<RawFd>().ok())
            else {
                continue;
            };
            // Only sockets: SockRef's contract.
            let is_socket = std::fs::read_link(entry.path())
                .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
            if !is_socket {
                continue;
            }
            // SAFETY: `fd` was open a moment ago and is only borrowed for the calls below. Should
            // another thread close it meanwhile, the calls fail, or (the number reused) set
            // TCP_NODELAY on another socket of this process, which is harmless.
            let fd = unsafe { BorrowedFd::borrow_raw(fd) };
            let socket = SockRef::from(&fd);
            let to_server = socket.r#type().is_ok_and(|t| t == Type::STREAM)
                && socket
                    .peer_addr()
                    .ok()
                    .and_then(|a| a.as_socket())
                    .is_some_and(|a| servers.contains(&a));
            if to_server && socket.set_tcp_nodelay(true).is_ok() {
                set += 1;
            }
        }
        set
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn sets_it_on_connections_to_the_server_only() {
            let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let client = std::net::TcpStream::connect(server.local_addr().unwrap()).unwrap();
            let bystander = std::net::TcpStream::connect(other.local_addr().unwrap()).unwrap();
            assert!(!client.nodelay().unwrap());
            assert!(super::apply(&[server.local_addr().unwrap()]) >= 1);
            assert!(client.nodelay().unwrap());
            assert!(
                !bystander.nodelay().unwrap(),
                "a socket to another address is left alone"
            );
        }
    }
}
