"""The WeChat Official Account callback (/wechat/callback).

WeChat first checks the URL with a signed GET and expects `echostr` back; after that every
message a follower sends arrives as signed XML, encrypted in safe mode. A text message
becomes a source record (the follower's openid identifies them) and an inbound interaction
on the customer it matched, or on a new lead. WeChat retries a delivery it got no answer
to within five seconds: the message id makes a retry a replay.
"""

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from server import config
from server.activity.services import log_interaction
from server.auth.principal import SYSTEM
from server.customers.models import Customer
from server.customers.normalize import pinyin_keys
from server.enums import Channel, Direction, InteractionKind, SourceRecordStatus
from server.ingestion.services import Incoming, ingest

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024
# WeChat treats anything but "success" (or a reply) as a failure and retries.
ACK = "success"


def _refuse(message: str) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=403)


def _crypto() -> WeChatCrypto | None:
    s = config.settings
    if s.wechat_aes_key and s.wechat_app_id:
        return WeChatCrypto(s.wechat_token, s.wechat_aes_key, s.wechat_app_id)
    return None


async def verify_url(request: Request) -> Response:
    """The GET WeChat sends when the callback URL is configured."""
    token = config.settings.wechat_token
    if not token:
        return _refuse("the WeChat callback is not enabled: set WECHAT_TOKEN")
    q = request.query_params
    try:
        check_signature(token, q.get("signature", ""), q.get("timestamp", ""), q.get("nonce", ""))
    except InvalidSignatureException:
        return _refuse("signature does not match")
    return PlainTextResponse(q.get("echostr", ""))


async def receive(request: Request) -> Response:
    token = config.settings.wechat_token
    if not token:
        return _refuse("the WeChat callback is not enabled: set WECHAT_TOKEN")
    q = request.query_params
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return PlainTextResponse("message too large", status_code=413)
    try:
        check_signature(token, q.get("signature", ""), q.get("timestamp", ""), q.get("nonce", ""))
        crypto = _crypto()
        if crypto is not None:
            body = crypto.decrypt_message(body, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""))
    except (InvalidSignatureException, InvalidAppIdException):
        return _refuse("signature does not match")
    try:
        message = parse_message(body)
    except Exception:  # wechatpy raises whatever its XML parser does
        return PlainTextResponse("malformed message XML", status_code=400)
    if message.type == "text":
        await record_text(message.source, message.content, message.id, message.create_time)
    return PlainTextResponse(ACK)


async def record_text(openid: str, content: str, message_id, sent_at) -> int | None:
    """Keep the message, then log it on its customer; returns the customer id (None when replayed)."""
    payload = {"openid": openid, "message": content, "msg_id": str(message_id)}
    result = (await ingest(Channel.WECHAT, [Incoming(payload, idempotency_key=f"msg:{message_id}")]))[0]
    if result.replayed or result.customer_id is None:
        return None
    if result.status is SourceRecordStatus.CREATED:
        await _name_placeholder(result.customer_id, openid, result.source_record_id)
    await log_interaction(SYSTEM, result.customer_id, kind=InteractionKind.MESSAGE, channel=Channel.WECHAT,
                          direction=Direction.INBOUND, occurred_at=sent_at, summary=content)
    return result.customer_id


async def _name_placeholder(customer_id: int, openid: str, record_id: int | None) -> None:
    """A follower is known by openid only: a placeholder name tells staff to ask for theirs.

    It is attributed to the lowest-trust channel, so the first record from anywhere that
    knows the real name replaces it.
    """
    customer = await Customer.get(id=customer_id)
    if customer.name:
        return
    name = f"微信用户{openid[-4:]}"
    pinyin, initials = pinyin_keys(name)
    sources = dict(customer.field_sources or {})
    sources["name"] = {"channel": Channel.OTHER.value, "record": record_id, "placeholder": True}
    await Customer.filter(id=customer_id).update(name=name, name_pinyin=pinyin, name_initials=initials,
                                                 field_sources=sources)
