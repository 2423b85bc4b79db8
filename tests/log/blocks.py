#!/usr/bin/python3
"""tests/log/blocks.py DIR: read the block trailers of every LevelDB table
(N.ldb, N.sst) in DIR and print "TABLES BLOCKS COMPRESSED". A block's
5-byte trailer is its compression type (0 none, 1 snappy, ...) and a CRC;
the footer (last 48 bytes, magic 0xdb4775248b80fb57) locates the index
block, whose entries locate the data blocks. Exits 1 when a block is
compressed, 2 when a table cannot be parsed."""
import os
import struct
import sys

MAGIC = 0xDB4775248B80FB57


def varint(buf, i):
    shift = n = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, i
        shift += 7


def handle(buf, i):
    off, i = varint(buf, i)
    size, i = varint(buf, i)
    return (off, size), i


def block(data, h):
    off, size = h
    return data[off:off + size], data[off + size]


def entries(blk):
    nrestarts = struct.unpack("<I", blk[-4:])[0]
    end = len(blk) - 4 - 4 * nrestarts
    i = 0
    while i < end:
        _, i = varint(blk, i)
        nonshared, i = varint(blk, i)
        vlen, i = varint(blk, i)
        i += nonshared
        yield blk[i:i + vlen]
        i += vlen


def table(path):
    data = open(path, "rb").read()
    if len(data) < 48 or struct.unpack("<Q", data[-8:])[0] != MAGIC:
        raise ValueError("no table magic")
    meta, i = handle(data, len(data) - 48)
    index, _ = handle(data, i)
    types = []
    for h in (meta, index):
        types.append(block(data, h)[1])
    blk, t = block(data, index)
    if t == 0:
        for v in entries(blk):
            types.append(block(data, handle(v, 0)[0])[1])
    return types


def main():
    tables = blocks = compressed = 0
    for name in sorted(os.listdir(sys.argv[1])):
        if not (name.endswith(".ldb") or name.endswith(".sst")):
            continue
        try:
            types = table(os.path.join(sys.argv[1], name))
        except (ValueError, IndexError, struct.error) as e:
            print("%s: cannot parse: %s" % (name, e))
            sys.exit(2)
        tables += 1
        blocks += len(types)
        compressed += sum(1 for t in types if t != 0)
    print(tables, blocks, compressed)
    sys.exit(1 if compressed else 0)


main()
