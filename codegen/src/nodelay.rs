//! TCP_NODELAY on the process's TCP sockets, which sqlx 0.9.0 no longer sets.
//!
//! Without it, a message written right after another one waits for the server's delayed ACK
//! (~40 ms, Nagle's algorithm): every `COPY` pays it once, at `CopyDone`, which made `COPY`
//! unusable for a deploy of many tables. sqlx set the option until 0.8 and sets it again after
//! 0.9.0 (transact-rs/sqlx#4335, fixed by #4336, not released yet); until then the seeder sets
//! it itself on every new connection. Remove this module once sqlx does it again.
//!
//! sqlx does not expose a connection's socket, so every TCP socket of the process gets the
//! option: they are all database connections, and TCP_NODELAY is what libpq uses anyway.

/// Sets TCP_NODELAY on every TCP socket of this process; returns how many it set it on.
/// Linux only (reads `/proc/self/fd`); elsewhere it does nothing.
pub fn apply() -> usize {
    #[cfg(target_os = "linux")]
    {
        linux::apply()
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::os::fd::{BorrowedFd, RawFd};

    use socket2::{SockRef, Type};

    pub fn apply() -> usize {
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
            let tcp = socket.r#type().is_ok_and(|t| t == Type::STREAM)
                && socket
                    .local_addr()
                    .is_ok_and(|a| a.is_ipv4() || a.is_ipv6());
            if tcp && socket.set_tcp_nodelay(true).is_ok() {
                set += 1;
            }
        }
        set
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn sets_it_on_a_connected_tcp_socket() {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
            assert!(!client.nodelay().unwrap());
            assert!(super::apply() >= 1);
            assert!(client.nodelay().unwrap());
        }
    }
}
