package dev.sluice.inspect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into addresses to connect to, in the order to try them. */
@FunctionalInterface
public interface Resolver {

    /** The system's resolver: /etc/hosts, then DNS, as the JDK looks names up. */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
