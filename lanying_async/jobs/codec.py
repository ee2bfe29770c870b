"""How every job store encodes what it keeps: JSON, through ``msgspec``.

One codec for all stores, so a job's spec, items and records read the same
whichever store wrote them.
"""

from __future__ import annotations

from typing import Any

import msgspec

from lanying_async.jobs.model import ChunkRecord, JobSpec

__all__ = ["decode_items", "decode_record", "decode_spec", "encode"]

encode = msgspec.json.Encoder().encode
decode_spec = msgspec.json.Decoder(JobSpec).decode
decode_record = msgspec.json.Decoder(ChunkRecord).decode
decode_items = msgspec.json.Decoder(list[Any]).decode
