"""One spoken answer for the demo project (`flask demo`): a short tone, sealed chunk by chunk
with the project's public key exactly as the tablet seals a recording (static/js/offline/
spoken.js and envelope.js), so staff can listen to it and read its transcript in the demo.

The tone is an Ogg FLAC file (audio/ogg, a type the upload takes and browsers play), written
here with uncompressed ("verbatim") FLAC frames: no codec library is needed for a second of
sound. See the Ogg (RFC 3533), Ogg FLAC mapping and FLAC format specifications.
"""
import math
import os
import struct
import uuid
from datetime import timedelta

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..extensions import db
from ..models import RECORDING_CONSENT_VERSION, SpokenChunk, SpokenRecording
from .spoken import MAX_CHUNK_BYTES, recording_aad
from .sync import ECDH_INFO, project_key

RATE = 8000
BLOCK = 4096  # samples per FLAC frame (block size code 12)
MIME = "audio/ogg;codecs=flac"


def _crc(data: bytes, poly: int, bits: int) -> int:
    """A CRC without reflection and with zero start, as FLAC (8 and 16 bits) and Ogg (32) use."""
    top, mask, crc = 1 << (bits - 1), (1 << bits) - 1, 0
    for byte in data:
        crc ^= byte << (bits - 8)
        for _ in range(8):
            crc = ((crc << 1) ^ poly) & mask if crc & top else (crc << 1) & mask
    return crc


def _flac_frame(number: int, samples: list[int]) -> bytes:
    size_code = (12, 0) if len(samples) == BLOCK else (7, len(samples) - 1)  # 7: 16-bit size follows
    header = bytes([0xFF, 0xF8, (size_code[0] << 4) | 4, 0x08])  # 8 kHz; mono, 16 bits
    header += bytes([number]) if number < 0x80 else bytes([0xC0 | number >> 6, 0x80 | number & 0x3F])
    if size_code[0] == 7:
        header += struct.pack(">H", size_code[1])
    header += bytes([_crc(header, 0x07, 8)])
    frame = header + b"\x02" + struct.pack(f">{len(samples)}h", *samples)  # one verbatim subframe
    return frame + struct.pack(">H", _crc(frame, 0x8005, 16))


def _ogg_page(packet: bytes, *, serial: int, sequence: int, granule: int, flags: int) -> bytes:
    lacing = [255] * (len(packet) // 255) + [len(packet) % 255]
    head = b"OggS" + struct.pack("<BBqIIIB", 0, flags, granule, serial, sequence, 0, len(lacing)) + bytes(lacing)
    page = bytearray(head + packet)
    page[22:26] = struct.pack("<I", _crc(bytes(page), 0x04C11DB7, 32))
    return bytes(page)


def tone(ms: int = 1200, hz: int = 440) -> bytes:
    """A soft tone of `ms` milliseconds as an Ogg FLAC file."""
    count = RATE * ms // 1000
    samples = [int(6000 * math.sin(2 * math.pi * hz * i / RATE) * min(1, i / 400, (count - i) / 400))
               for i in range(count)]
    info = struct.pack(">HH", BLOCK, BLOCK) + b"\0" * 6 + (
        (RATE << 44) | (0 << 41) | (15 << 36) | count).to_bytes(8, "big") + b"\0" * 16
    vendor = b"PeerInterview demo"
    comment = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", 0)
    packets = [b"\x7fFLAC\x01\x00" + struct.pack(">H", 1) + b"fLaC" + b"\x00" + len(info).to_bytes(3, "big") + info,
               b"\x84" + len(comment).to_bytes(3, "big") + comment]
    granules = [0, 0]
    for number, start in enumerate(range(0, count, BLOCK)):
        packets.append(_flac_frame(number, samples[start:start + BLOCK]))
        granules.append(min(start + BLOCK, count))
    serial = 0x50494E54
    return b"".join(_ogg_page(packet, serial=serial, sequence=i, granule=granules[i],
                              flags=2 if i == 0 else 4 if i == len(packets) - 1 else 0)
                    for i, packet in enumerate(packets))


def seal_like_the_tablet(public_key, aad: bytes, audio: bytes) -> tuple[bytes, bytes, bytes]:
    """(iv, opener, ciphertext) of one chunk: a fresh ECDH key (or an RSA-wrapped key) per chunk."""
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        fresh = ec.generate_private_key(ec.SECP256R1())
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=ECDH_INFO).derive(fresh.exchange(ec.ECDH(), public_key))
        opener = fresh.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
    else:
        key = AESGCM.generate_key(bit_length=256)
        opener = public_key.encrypt(key, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()),
                                                      algorithm=hashes.SHA256(), label=None))
    iv = os.urandom(12)
    return iv, opener, AESGCM(key).encrypt(iv, audio, aad)


def create_demo_recording(interview, question, *, duration_ms: int = 1200) -> SpokenRecording:
    """The person agreed to recordings and spoke their answer to `question`; the answer's text is
    the transcript staff typed. The caller flushes."""
    interview.recording_consent_version = RECORDING_CONSENT_VERSION
    audio = tone(duration_ms)
    public_key = serialization.load_pem_public_key(project_key(interview.project_id).public_key_pem.encode())
    pieces = [audio[start:start + MAX_CHUNK_BYTES] for start in range(0, len(audio), MAX_CHUNK_BYTES)]
    spoken_at = interview.started_at + timedelta(minutes=12)
    recording = SpokenRecording(interview_id=interview.id, question_id=question.id, client_id=str(uuid.uuid4()),
                                chunks_total=len(pieces), duration_ms=duration_ms, mime=MIME,
                                created_at=spoken_at, completed_at=spoken_at)
    for index, piece in enumerate(pieces):
        aad = recording_aad(interview.id, question.id, recording.client_id, index, len(pieces), duration_ms, MIME)
        iv, opener, ciphertext = seal_like_the_tablet(public_key, aad, piece)
        recording.chunks.append(SpokenChunk(position=index, iv=iv, opener=opener, ciphertext=ciphertext))
    db.session.add(recording)
    return recording
