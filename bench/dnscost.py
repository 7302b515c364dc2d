#!/usr/bin/env python3
# DNS responses for bench/dnscost.sh: N copies of one response in one
# UDP flow (8.8.8.8:53 -> 192.168.1.23:40000), a pcap on stdout.
#   ordinary: www.example.com A 93.184.216.34
#   chainK:   K CNAMEs q -> c1 -> ... -> cK, then cK A; long names (~240
#             bytes each, 4 labels) compressed: each target is one new
#             label in place plus a pointer to a 3-label tail stored once
#   flood:    as many minimal A records as fit in a 64 KiB UDP payload,
#             each owner a pointer to a 250-byte name
import struct, sys

def name(labels):
    return b''.join(bytes([len(l)]) + l for l in labels) + b'\0'

def rr(owner, typ, rdata, ttl=300):
    return owner + struct.pack('>HHIH', typ, 1, ttl, len(rdata)) + rdata

def msg(kind):
    hdr_flags = 0x8180
    if kind == 'ordinary':
        q = name([b'www', b'example', b'com'])
        body = q + struct.pack('>HH', 1, 1)
        ans = [rr(b'\xc0\x0c', 1, bytes([93, 184, 216, 34]))]
        return struct.pack('>HHHHHH', 1, hdr_flags, 1, len(ans), 0, 0) + body + b''.join(ans)
    if kind.startswith('chain'):
        k = int(kind[5:])
        tail = [b'x' * 60, b'y' * 60, b'example', b'com']
        q = name([b'q' * 50] + tail[1:])
        body = q + struct.pack('>HH', 1, 1)
        off = 12 + len(body)
        # the tail stored once, in the first CNAME's target
        ans = []
        owner_ptr = b'\xc0\x0c'
        tail_off = None
        for i in range(k):
            lab = (b'c%d-' % i) + b'z' * 50
            if tail_off is None:
                tgt = bytes([len(lab)]) + lab + name(tail)
                rec = rr(owner_ptr, 5, tgt)
                tgt_off = off + len(owner_ptr) + 10
                tail_off = tgt_off + 1 + len(lab)
            else:
                tgt = bytes([len(lab)]) + lab + struct.pack('>H', 0xc000 | tail_off)
                rec = rr(owner_ptr, 5, tgt)
                tgt_off = off + len(owner_ptr) + 10
            ans.append(rec)
            off += len(rec)
            owner_ptr = struct.pack('>H', 0xc000 | tgt_off)
        ans.append(rr(owner_ptr, 1, bytes([93, 184, 216, 34])))
        return struct.pack('>HHHHHH', 1, hdr_flags, 1, len(ans), 0, 0) + body + b''.join(ans)
    if kind == 'flood':
        longn = name([b'a' * 60, b'b' * 60, b'c' * 60, b'd' * 60, b'ex', b'com'])
        q = longn
        body = q + struct.pack('>HH', 1, 1)
        ans = []
        size = 12 + len(body)
        while size + 16 <= 65507 - 20:
            ans.append(rr(b'\xc0\x0c', 1, bytes([93, 184, 216, len(ans) & 255])))
            size += 16
        return struct.pack('>HHHHHH', 1, hdr_flags, 1, len(ans), 0, 0) + body + b''.join(ans)
    raise SystemExit('kind?')

def frame(payload):
    udp = struct.pack('>HHHH', 53, 40000, 8 + len(payload), 0) + payload
    tot = 20 + len(udp)
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, tot & 0xffff, 0, 0, 64, 17, 0,
                     bytes([8, 8, 8, 8]), bytes([192, 168, 1, 23]))
    return b'\x02\x00\x00\x00\x00\x01' + b'\x02\x00\x00\x00\x00\x02' + b'\x08\x00' + ip + udp

kind, n = sys.argv[1], int(sys.argv[2])
m = msg(kind)
fr = frame(m)
out = sys.stdout.buffer
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
for i in range(n):
    out.write(struct.pack('<IIII', 1710234000 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
    out.write(fr)
sys.stderr.write('%s: message %d bytes, frame %d\n' % (kind, len(m), len(fr)))
