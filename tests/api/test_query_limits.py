from tests.world import gql


async def test_deep_queries_are_refused(world):
    nested = "customer { " * 12 + "name" + " }" * 12
    query = "query($id: ID!) { node(id: $id) { ... on Interaction { %s } } }" % nested
    result = await gql(query, world.p(world.alice), id="x")
    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message


async def test_many_aliases_are_refused(world):
    query = "query { " + " ".join(f"a{i}: viewer {{ username }}" for i in range(40)) + " }"
    result = await gql(query, world.p(world.alice))
    assert result.errors and "aliases" in result.errors[0].message


async def test_huge_documents_are_refused(world):
    query = "query { viewer { " + " ".join(["username"] * 3000) + " } }"
    result = await gql(query, world.p(world.alice))
    assert result.errors and "token" in result.errors[0].message.lower()


async def test_viewer_names_the_signed_in_user_and_is_null_for_tokens(world):
    from tests.world import token_principal

    me = await gql("{ viewer { username role team { name } } }", world.p(world.alice))
    assert me.data["viewer"] == {"username": "alice", "role": "CONSULTANT", "team": {"name": "一组"}}
    token = await gql("{ viewer { username } }", await token_principal(["read"]))
    assert token.data["viewer"] is None
