import streamlit as st

st.title("duties")
st.info("Coming soon.")
