from tests.conftest import api_client_for, signed_in_client


def test_a_vetted_investigator_signs_in_with_a_second_factor_and_reaches_the_dashboard(actors):
    client = signed_in_client(actors.owner)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Welcome" in response.content


def test_the_api_me_endpoint_describes_the_token_holder(actors):
    response = api_client_for(actors.owner).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "owner@nl.example.org"
    assert body["country"] == "NL"
    assert body["roles"] == ["investigator"]
    assert body["vetting_status"] == "vetted"
