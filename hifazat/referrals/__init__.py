"""The services directory, referral pathways and referrals between organisations."""
