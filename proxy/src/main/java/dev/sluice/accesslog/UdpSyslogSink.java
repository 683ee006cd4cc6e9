package dev.sluice.accesslog;

import dev.sluice.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.DatagramChannel;

/**
 * ⑦ Syslog over UDP (RFC 5426): one datagram per record, at most {@link SyslogMessage#MAX_DATAGRAM}
 * bytes. Nothing says whether a datagram arrived; a receiver that is not listening shows up as an
 * ICMP error on a later send, which counts that one record as lost.
 */
final class UdpSyslogSink extends SyslogSink<DatagramChannel> {

    private final LineBuffer datagram = new LineBuffer(SyslogMessage.MAX_DATAGRAM);

    UdpSyslogSink(HostPort receiver, SyslogMessage message) {
        super("syslog udp://" + receiver, message, () -> connect(receiver));
    }

    /** A channel connected to the receiver, so that the kernel reports one that is not listening. */
    private static DatagramChannel connect(HostPort receiver) throws IOException {
        InetSocketAddress address = Reconnector.resolve(receiver);
        DatagramChannel channel = DatagramChannel.open();
        try {
            return channel.connect(address);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    void send(DatagramChannel channel, Batch batch) {
        for (int i = 0; i < batch.size(); i++) {
            datagram.clear();
            message.append(batch, i, datagram, SyslogMessage.MAX_DATAGRAM);
            try {
                channel.write(datagram.slice(0, datagram.length()));
            } catch (PortUnreachableException e) {
                losses.add(1, e);
            } catch (IOException e) {
                connection.failed(e);
                losses.add(batch.size() - i, e);
                return;
            }
        }
    }

}
