"""The WeChat Official Account callback, driven with messages signed as WeChat signs them."""

import hashlib
import time

import httpx
import pytest
from wechatpy.crypto import WeChatCrypto

from server import config
from server.activity.models import Interaction, Task
from server.app import create_app
from server.customers.models import Customer
from server.enums import Channel
from server.ingestion.models import SourceRecord
from server.ingestion.services import Incoming, ingest

TOKEN = "wechat-token-for-tests"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
APP_ID = "wx0123456789abcdef"


def signed(timestamp="1700000000", nonce="n0nce") -> dict:
    signature = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def text_message(openid: str, content: str, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[gh_dealer]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time()) - 5}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


async def _client(monkeypatch, **env):
    for key, value in {"WECHAT_TOKEN": TOKEN, **env}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(config, "settings", config.load_settings())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(manage_db=False, embedded_worker=False)),
                             base_url="http://testserver")


@pytest.fixture
async def wechat(db, monkeypatch):
    async with await _client(monkeypatch) as client:
        yield client


async def test_the_url_check_echoes_only_for_a_good_signature(wechat):
    ok = await wechat.get("/wechat/callback", params={**signed(), "echostr": "hello-wechat"})
    assert ok.status_code == 200 and ok.text == "hello-wechat"
    forged = await wechat.get("/wechat/callback", params={**signed(), "signature": "0" * 40, "echostr": "x"})
    assert forged.status_code == 403


async def test_a_stranger_s_message_becomes_a_lead_with_the_message_on_its_timeline(wechat):
    body = text_message("oFollower0001XyZ9", "汉EV现在有什么优惠？", 900001)
    response = await wechat.post("/wechat/callback", params=signed(), content=body.encode())
    assert response.status_code == 200 and response.text == "success"
    lead = await Customer.get(wechat_openid="oFollower0001XyZ9")
    assert lead.channel == Channel.WECHAT and lead.owner_id is None and lead.name == "微信用户XyZ9"
    message = await Interaction.get(customer_id=lead.id)
    assert message.kind == "MESSAGE" and message.direction == "INBOUND" and message.summary == "汉EV现在有什么优惠？"

    # WeChat retries when it did not hear back in time: nothing new
    await wechat.post("/wechat/callback", params=signed(), content=body.encode())
    assert await Interaction.filter(customer_id=lead.id).count() == 1 and await SourceRecord.all().count() == 1

    # a web form with the real name replaces the placeholder
    await ingest(Channel.WEBSITE, [Incoming({"openid": "oFollower0001XyZ9", "姓名": "冯先生"})])
    assert (await Customer.get(id=lead.id)).name == "冯先生"


async def test_a_known_follower_s_message_lands_on_their_customer_and_leaves_follow_ups_open(world, wechat):
    await Customer.filter(id=world.alices_customer.id).update(wechat_openid="oZhangSan")
    body = text_message("oZhangSan", "我周六下午到店", 900002)
    await wechat.post("/wechat/callback", params=signed(), content=body.encode())
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.name == "张三" and customer.last_contact_at is not None
    assert await Interaction.filter(customer_id=customer.id, summary="我周六下午到店").exists()
    # the customer wrote; nobody followed up yet
    assert (await Task.get(id=world.alices_task.id)).status == "OPEN"
    assert await Customer.all().count() == 3


async def test_safe_mode_messages_are_decrypted_and_forgeries_refused(db, monkeypatch):
    async with await _client(monkeypatch, WECHAT_AES_KEY=AES_KEY, WECHAT_APP_ID=APP_ID) as client:
        crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        params = signed()
        encrypted = crypto.encrypt_message(text_message("oSafeMode42", "想试驾", 900003), params["nonce"], params["timestamp"])
        msg_signature = encrypted.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
        envelope = encrypted  # WeChat posts the same envelope it signs
        response = await client.post("/wechat/callback", params={**params, "msg_signature": msg_signature},
                                     content=envelope.encode())
        assert response.text == "success"
        assert await Customer.filter(wechat_openid="oSafeMode42").exists()

        forged = await client.post("/wechat/callback", params={**params, "msg_signature": "0" * 40},
                                   content=envelope.encode())
        assert forged.status_code == 403 and await SourceRecord.all().count() == 1


async def test_refusals(wechat, monkeypatch):
    forged = await wechat.post("/wechat/callback", params={**signed(), "signature": "f" * 40},
                               content=text_message("oX", "hi", 1).encode())
    assert forged.status_code == 403
    garbage = await wechat.post("/wechat/callback", params=signed(), content=b"<xml><unclosed>")
    assert garbage.status_code == 400
    assert await SourceRecord.all().count() == 0

    monkeypatch.delenv("WECHAT_TOKEN")
    monkeypatch.setattr(config, "settings", config.load_settings())
    off = await wechat.get("/wechat/callback", params={**signed(), "echostr": "x"})
    assert off.status_code == 403 and "WECHAT_TOKEN" in off.text
